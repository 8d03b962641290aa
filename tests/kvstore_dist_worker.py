"""A worker of the dist kvstore tests (run by `mxsym launch`), and the single-process runs it
is compared with.

    python kvstore_dist_worker.py OUT_DIR DEVICES [DIE_AFTER_BATCHES]

Each worker checks the store's collectives, then trains an MLP (with `fit`, one compiled step,
and with forward/backward/update) and a small conv net on its part of the data, and writes
the parameters to OUT_DIR/rank<R>.npz and what it saw to OUT_DIR/rank<R>.json. With
DIE_AFTER_BATCHES, worker 1 dies in the middle of the MLP's training.
"""
import json
import os
import sys

import numpy as np

import mxsym as mx

BATCH, STEPS = 4, 3
NUM_WORKERS = 2


def mlp():
    net = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=8, name='fc1')
    net = mx.sym.Activation(net, act_type='relu')
    net = mx.sym.FullyConnected(net, num_hidden=3, name='fc2')
    return mx.sym.SoftmaxOutput(net, name='softmax')


def convnet():
    net = mx.sym.Convolution(mx.sym.var('data'), kernel=(3, 3), num_filter=4, no_bias=True,
                             name='conv')
    net = mx.sym.BatchNorm(net, name='bn')
    net = mx.sym.Activation(net, act_type='relu')
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type='max')
    net = mx.sym.FullyConnected(mx.sym.flatten(net), num_hidden=3, name='fc')
    return mx.sym.SoftmaxOutput(net, name='softmax')


NETS = {'mlp': (mlp, (6,), 'sgd', {'learning_rate': 0.1, 'momentum': 0.9}),
        'conv': (convnet, (2, 8, 8), 'adam', {'learning_rate': 0.01})}


def worker_data(name, part):
    """Worker `part`'s data, or with part None the combined data in the order of the job's
    batches (worker 0's batch, then worker 1's, step by step)."""
    _, sample_shape, _, _ = NETS[name]
    rng = np.random.RandomState(7)
    count = BATCH * STEPS * NUM_WORKERS
    data = rng.uniform(-1, 1, (count,) + sample_shape).astype(np.float32)
    label = rng.randint(0, 3, count).astype(np.float32)
    parts = [slice(p * BATCH * STEPS, (p + 1) * BATCH * STEPS) for p in range(NUM_WORKERS)]
    if part is not None:
        return data[parts[part]], label[parts[part]]
    order = [np.arange(STEPS * BATCH)[s * BATCH:(s + 1) * BATCH] + p * BATCH * STEPS
             for s in range(STEPS) for p in range(NUM_WORKERS)]
    order = np.concatenate(order)
    return data[order], label[order]


def train(name, contexts, kvstore, part, plain_api=False, batch_end_callback=None):
    """The Module and its parameters after training net `name` on worker `part`'s data (all
    of it with part None), with a new store of type `kvstore`."""
    build, _, optimizer, optimizer_params = NETS[name]
    data, label = worker_data(name, part)
    batch = BATCH if part is not None else BATCH * NUM_WORKERS
    train_iter = mx.io.NDArrayIter(data, label, batch_size=batch)
    mx.random.seed(3)
    mod = mx.mod.Module(build(), context=contexts)
    if plain_api:
        mod.bind(train_iter.provide_data, train_iter.provide_label)
        mod.init_params(mx.init.Xavier())
        mod.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                           optimizer_params=optimizer_params)
        for data_batch in train_iter:
            mod.forward(data_batch)
            mod.backward()
            mod.update()
    else:
        mod.fit(train_iter, num_epoch=1, kvstore=kvstore, optimizer=optimizer,
                optimizer_params=optimizer_params, initializer=mx.init.Xavier(),
                batch_end_callback=batch_end_callback)
    arg_params, aux_params = mod.get_params()
    values = {'%s/%s' % (name, key): value.asnumpy() for key, value in arg_params.items()}
    values.update({'%s/aux/%s' % (name, key): value.asnumpy()
                   for key, value in aux_params.items()})
    return mod, values


def check_store(kv):
    """What the store's collectives gave on this worker."""
    rank = kv.rank
    kv.init('w', mx.nd.full((2, 3), rank + 5))
    first = mx.nd.zeros((2, 3))
    kv.pull('w', out=first)
    kv.push('w', [mx.nd.full((2, 3), rank + 1), mx.nd.ones((2, 3))])
    summed = mx.nd.zeros((2, 3))
    kv.pull('w', out=summed)
    both = mx.nd.full((2,), rank * 10)
    kv.init(['a'], [mx.nd.zeros((2,))])
    kv.pushpull('a', both)
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.5))
    kv.init('s', mx.nd.ones((2,)))
    kv.push('s', mx.nd.full((2,), rank + 1))
    updated = mx.nd.zeros((2,))
    kv.pull('s', out=updated)
    kv.barrier()
    return {'type': kv.type, 'rank': rank, 'num_workers': kv.num_workers,
            'init': first.asnumpy().tolist(), 'push': summed.asnumpy().tolist(),
            'pushpull': both.asnumpy().tolist(), 'updated': updated.asnumpy().tolist()}


def main(out_dir, devices, die_after=None):
    kv = mx.kv.create('dist_sync')
    report = check_store(kv)
    contexts = [mx.cpu(i) for i in range(devices)]
    print('worker %d of %d ready' % (kv.rank, kv.num_workers), flush=True)
    if die_after is not None:
        def die(param):
            if kv.rank == 1 and param.nbatch + 1 == die_after:
                os._exit(7)
        train('mlp', contexts, 'dist_sync', kv.rank, batch_end_callback=die)
    values = {}
    for name in NETS:
        mod, trained = train(name, contexts, 'dist_sync', kv.rank)
        values.update(trained)
    _, trained = train('mlp', contexts, 'dist_sync', kv.rank, plain_api=True)
    values.update({'plain/' + key: value for key, value in trained.items()})
    mod.save_checkpoint(os.path.join(out_dir, 'conv-rank%d' % kv.rank), 1)
    np.savez(os.path.join(out_dir, 'rank%d.npz' % kv.rank), **values)
    with open(os.path.join(out_dir, 'rank%d.json' % kv.rank), 'w') as out:
        json.dump(report, out)


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None)
