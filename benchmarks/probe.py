"""One fresh-process measurement for run.py, printed as one JSON line:

    python probe.py first FRAMEWORK WORKLOAD MODE
    python probe.py lower mxsym WORKLOAD MODE
    python probe.py devices N WORKLOAD train

FRAMEWORK is mxsym, jax (hand-written) or mxnet (run with a Python that has MXNet 1.9.1).
`first` reports `first_s`, the seconds from building the network to its first result (graph
creation, bind, compilation or a compilation-cache hit, one run), and `peak_mb`, how far the
process's resident memory peaked above its level after the imports, over that and three more
runs (Linux). `lower` reports mxsym's `lower_s`: graph creation, shape inference, lowering and
tracing, everything before XLA. `devices` reports `step_ms`, the milliseconds of one
`Module.fit` training step (forward, backward and update in one program) with the batch split
over N devices (run it with N forced host devices on a CPU).
"""
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, HERE)


def _memory_mb(field):
    """VmRSS (resident now) or VmHWM (the peak since the last reset) of this process."""
    with open('/proc/self/status') as status:
        return int(re.search(field + r':\s+(\d+)', status.read()).group(1)) / 1024


def _reset_peak_memory():
    """Start the peak over from the memory resident now (Linux)."""
    with open('/proc/self/clear_refs', 'w') as clear_refs:
        clear_refs.write('5')


def symbol_runner(mx, workload, mode):
    """Build, bind and return a function running one step (mxsym or MXNet)."""
    import numpy as np
    from workloads import WORKLOADS, grad_reqs, initial_aux
    build, shape = WORKLOADS[workload]
    rng = np.random.RandomState(0)   # the values hand_jax.initial_values gives
    symbol = build(mx)
    exe = symbol.simple_bind(mx.cpu(), grad_req=grad_reqs(symbol), data=shape)
    for name, array in exe.arg_dict.items():
        array[:] = rng.uniform(-0.05, 0.05, array.shape)
    exe.arg_dict['softmax_label'][:] = rng.randint(0, 10, shape[0])
    for name, array in exe.aux_dict.items():
        array[:] = initial_aux(name, array.shape)

    def run():
        exe.forward(is_train=mode == 'train')
        if mode == 'train':
            exe.backward()
            return [g for g in exe.grad_arrays if g is not None] + exe.outputs
        return exe.outputs
    return run


def tiny_runner(mx, workload=None, mode='infer'):
    """`a + b` on 2x3 arrays: what one forward costs besides its arithmetic."""
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    exe = (a + b).bind(mx.cpu(), {'a': mx.nd.ones((2, 3)), 'b': mx.nd.ones((2, 3))})

    def run():
        exe.forward()
        return exe.outputs
    return run


def mxsym_lowering_seconds(workload):
    """Seconds mxsym spends before XLA: graph creation, inference, lowering and tracing."""
    import jax
    import mxsym as mx
    from workloads import WORKLOADS
    build, shape = WORKLOADS[workload]
    start = time.perf_counter()
    symbol = build(mx)
    exe = symbol.simple_bind(mx.cpu(), grad_req='null', data=shape)
    program = exe._compiled.program
    args = [a._data for a in exe.arg_arrays]
    aux = [a._data for a in exe.aux_arrays]
    jax.jit(lambda a, x: program.run(a, x, None, False)).trace(args, aux)
    return time.perf_counter() - start


def module_step_ms(workload, devices, batches=10):
    """Milliseconds per batch of `Module.fit` with `context` listing `devices` CPU devices,
    after a first epoch that compiles."""
    import numpy as np
    import mxsym as mx
    from workloads import WORKLOADS
    build, shape = WORKLOADS[workload]
    rng = np.random.RandomState(0)
    data = rng.uniform(-1, 1, (shape[0] * batches,) + tuple(shape[1:])).astype(np.float32)
    label = rng.randint(0, 10, shape[0] * batches).astype(np.float32)
    train = mx.io.NDArrayIter(data, label, batch_size=shape[0])
    module = mx.mod.Module(build(mx), context=[mx.cpu(i) for i in range(devices)])
    module.fit(train, num_epoch=1)
    start = time.perf_counter()
    module.fit(train, begin_epoch=1, num_epoch=2)
    return (time.perf_counter() - start) / batches * 1e3


def main():
    measure, framework, workload, mode = sys.argv[1:5]
    if measure == 'devices':
        print(json.dumps({'step_ms': module_step_ms(workload, int(framework))}), flush=True)
        return
    if measure == 'lower':
        print(json.dumps({'lower_s': mxsym_lowering_seconds(workload)}), flush=True)
        return
    if framework == 'mxnet':
        import mxnet as mx
        sys.modules['mxsym'] = mx   # the example networks import mxsym; here it is MXNet

        def wait(arrays):
            for array in arrays:
                array.wait_to_read()
    else:
        import jax
        import mxsym as mx
        wait = jax.block_until_ready
    if framework == 'jax':
        from hand_jax import hand_runner
        make_runner = hand_runner
    else:
        make_runner = symbol_runner
    _reset_peak_memory()
    base = _memory_mb('VmRSS')
    start = time.perf_counter()
    run = make_runner(mx, workload, mode)
    wait(run())
    first_s = time.perf_counter() - start
    for _ in range(3):
        wait(run())
    print(json.dumps({'first_s': first_s, 'peak_mb': _memory_mb('VmHWM') - base}), flush=True)


if __name__ == '__main__':
    main()
