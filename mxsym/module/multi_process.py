"""A Module's training step over the workers of a `jax.distributed` job (a dist kvstore).

Each worker's Module keeps its arrays on its own devices, laid out by its `DevicePlacement`.
Only the compiled training step spans the job: a `jax.sharding.Mesh` over the same devices of
every worker, each worker's batch one block of the job's batch (in rank order), parameters and
optimizer states replicated. The worker's arrays become the job's arrays without a copy
(`jax.make_array_from_single_device_arrays` over its own device buffers) and the results come
back the same way, so XLA sums the gradients over all workers inside the one program and every
worker applies the same update: the arithmetic of one process over the combined batch. A step
waits for its results, so that a worker that died shows as an error of the step that needed
it.
"""
import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec
from jax.experimental import multihost_utils

from .. import compile_options, distributed
from ..base import MXNetError
from .data_parallel import BATCH_AXIS


class ProcessSpanningPlacement:
    """`local`'s devices in every worker, as one mesh for the training step."""

    def __init__(self, local):
        self.local = local
        platform = local.devices[0].platform
        own = jax.local_devices(backend=platform)
        positions = [own.index(device) for device in local.devices]
        batch = -1 if local.batch_size is None else local.batch_size
        every = multihost_utils.process_allgather(np.array(positions + [batch]))
        if (every != every[0]).any():
            raise MXNetError('Module: with a dist kvstore every worker must use the same '
                             'contexts and batch size; devices (local indices) and batch size '
                             'by worker: %s' % every.tolist())
        self.num_workers = len(every)
        devices = [jax.local_devices(process_index=worker, backend=platform)[position]
                   for worker in range(self.num_workers) for position in positions]
        self.mesh = Mesh(np.array(devices), (BATCH_AXIS,))
        self.replicated = NamedSharding(self.mesh, PartitionSpec())
        self.job_batch_size = None if local.batch_size is None \
            else local.batch_size * self.num_workers

    def commit(self, arrays):
        self.local.commit(arrays)

    def replicate(self, tree):
        return self.local.replicate(tree)

    def _batch_sharding(self, mesh, axis):
        return NamedSharding(mesh, PartitionSpec(*([None] * axis + [BATCH_AXIS])))

    def _local_buffers(self, array):
        """`array`'s buffers on this worker's devices, in their mesh order (placing it there
        first if it lives elsewhere, e.g. a new PRNG key)."""
        if set(array.sharding.device_set) != set(self.local.devices):
            array = self.local.replicate(jax.device_put(array, self.local.devices[0]))
        by_device = {shard.device: shard.data for shard in array.addressable_shards}
        return [by_device[device] for device in self.local.devices]

    def _to_job(self, array, batch_axis=-1):
        """This worker's array (or its shape and dtype) as the job's: replicated, or this
        worker's block of the job's batch along `batch_axis`."""
        if not isinstance(array, (jax.Array, jax.ShapeDtypeStruct)):
            return array
        shape = list(array.shape)
        if batch_axis < 0:
            sharding = self.replicated
        else:
            shape[batch_axis] *= self.num_workers
            sharding = self._batch_sharding(self.mesh, batch_axis)
        if isinstance(array, jax.ShapeDtypeStruct):
            return jax.ShapeDtypeStruct(tuple(shape), array.dtype, sharding=sharding)
        return jax.make_array_from_single_device_arrays(tuple(shape), sharding,
                                                        self._local_buffers(array))

    def _to_worker(self, array):
        """The job's array as this worker's: its own block of a batch-split array along axis
        0, or its copy of a replicated one."""
        by_device = {shard.device: shard.data for shard in array.addressable_shards}
        buffers = [by_device[device] for device in self.local.devices]
        if not self.local.split:
            return buffers[0]
        shape = list(array.shape)
        if array.sharding.is_fully_replicated:
            sharding = self.local.replicated
        else:
            shape[0] //= self.num_workers
            sharding = self._batch_sharding(self.local.mesh, 0)
        return jax.make_array_from_single_device_arrays(tuple(shape), sharding, buffers)

    def compile_step(self, train_step, arg_names, name):
        """`train_step(args, aux, key, states, scalars)` compiled for the job as the XLA
        program `name`: the inputs named as batch inputs split over the workers, everything
        else replicated; outputs whose first axis is the job's batch split along it, the rest
        replicated. It takes and gives this worker's arrays."""
        batch_axes = [self.local.batch_axis(name) for name in arg_names]
        batch_size, constrain = self.job_batch_size, jax.lax.with_sharding_constraint
        split_outputs = self._batch_sharding(self.mesh, 0)

        def job_step(args, aux, key, states, scalars):
            outputs, *rest = train_step(args, aux, key, states, scalars)
            outputs = [constrain(out, split_outputs if out.ndim and out.shape[0] == batch_size
                                 else self.replicated) for out in outputs]
            return (outputs, *constrain(rest, self.replicated))

        program = compile_options.jit(job_step, name)
        to_job, to_worker = self._to_job, self._to_worker

        def job_inputs(args, *rest):
            return ([to_job(arg, axis) for arg, axis in zip(args, batch_axes)],
                    *jax.tree_util.tree_map(to_job, rest))

        def run(*inputs):
            with distributed.collective('Module training step'):
                results = jax.block_until_ready(program(*job_inputs(*inputs)))
            return jax.tree_util.tree_map(to_worker, results)
        run.lower = lambda *inputs: program.lower(*job_inputs(*inputs))
        return run
