"""Where a Module's arrays live: on its one device, or split over several.

With several contexts, a `jax.sharding.Mesh` spans their devices: data and labels are sharded
along their batch axis, everything else (parameters, gradients, aux states, optimizer states)
is replicated. `jax.jit` then partitions the one compiled program over the devices and XLA
reduces the gradients across them, so the arithmetic is that of the whole batch on one device.
The same holds for a mesh over the devices of several hosts set up with `jax.distributed`.
"""
import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from .. import compile_options, ndarray as nd
from ..base import MXNetError
from ..io import DataDesc

BATCH_AXIS = 'batch'


class DevicePlacement:
    """The devices of a Module's contexts, and how its arrays are laid out over them."""

    def __init__(self, contexts, work_load_list):
        # CPU contexts beyond JAX's CPU devices share them (context.py): the batch is split
        # over the distinct devices, which gives the same arithmetic
        devices = list(dict.fromkeys(context.jax_device for context in contexts))
        if len(set(work_load_list)) > 1:
            raise MXNetError('Module: uneven work_load_list %s is not supported; the batch is '
                             'split evenly over the devices' % (work_load_list,))
        self.devices = devices
        self.batch_size = None
        self._batch_axes = {}
        if len(devices) > 1:
            self.mesh = Mesh(np.array(devices), (BATCH_AXIS,))
            self.replicated = NamedSharding(self.mesh, PartitionSpec())
        else:
            self.mesh = self.replicated = None

    @property
    def split(self):
        return self.mesh is not None

    def check_batch(self, descs):
        """Record each input's batch axis and the batch size, which the devices must divide."""
        self._batch_axes = {d.name: DataDesc.get_batch_axis(d.layout) for d in descs}
        sizes = {d.shape[self._batch_axes[d.name]] for d in descs
                 if self._batch_axes[d.name] >= 0}
        if len(sizes) > 1:
            raise MXNetError('Module: all data must have the same batch size, got %s'
                             % [(d.name, d.shape) for d in descs])
        self.batch_size = sizes.pop() if sizes else None
        if self.split and self.batch_size is not None and self.batch_size % len(self.devices):
            raise MXNetError('Module: batch size %d cannot be split evenly over %d devices'
                             % (self.batch_size, len(self.devices)))

    def batch_axis(self, name):
        """The batch axis of input `name`; -1 for anything else."""
        return self._batch_axes.get(name, -1)

    def _input_sharding(self, name, ndim):
        axis = self.batch_axis(name)
        if axis < 0:
            return self.replicated
        return NamedSharding(self.mesh, PartitionSpec(*([None] * axis + [BATCH_AXIS])))

    def place_inputs(self, executor, input_names):
        """Lay out all of `executor`'s arrays: inputs split along the batch, the rest
        replicated."""
        if not self.split:
            return
        for name, array in executor.arg_dict.items():
            sharding = (self._input_sharding(name, array.ndim) if name in input_names
                        else self.replicated)
            array._set_data(jax.device_put(array._data, sharding))
        for array in list(executor.grad_arrays) + list(executor.aux_arrays):
            if array is not None:
                array._set_data(jax.device_put(array._data, self.replicated))

    def place_params(self, executor):
        """Replicate the parameters and aux states after they were assigned."""
        if not self.split:
            return
        inputs = set(self._batch_axes)
        for name, array in list(executor.arg_dict.items()) + list(executor.aux_dict.items()):
            if name not in inputs:
                array._set_data(jax.device_put(array._data, self.replicated))

    def load_input(self, target, value):
        """Copy a batch's data or label array into the bound input `target`."""
        values = value._data if isinstance(value, nd.NDArray) else np.asarray(value)
        if tuple(values.shape) != target.shape:
            raise MXNetError('Module: batch array of shape %s does not fit the bound input of '
                             'shape %s' % (tuple(values.shape), target.shape))
        values = values.astype(target.dtype)
        # a split input keeps the batch sharding it was bound with
        where = target._data.sharding if self.split else self.devices[0]
        target._set_data(jax.device_put(values, where))

    def commit(self, arrays):
        """Pin NDArrays made without a device (optimizer states) to the Module's devices, so
        that every call of a compiled step sees its inputs placed alike."""
        where = self.replicated if self.split else self.devices[0]
        for array in arrays:
            array._set_data(jax.device_put(array._data, where))

    def replicate(self, tree):
        """A pytree of arrays replicated over the devices (unchanged on one device)."""
        if not self.split:
            return tree
        return jax.device_put(tree, self.replicated)

    def compile_step(self, train_step, arg_names, name):
        """`fit`'s training step compiled for these devices as the XLA program `name`
        (`arg_names` name its args)."""
        return compile_options.jit(train_step, name)

    def gather(self, values):
        """`values` on the first device, for host-side use and single-device updates."""
        if not self.split:
            return values
        return jax.device_put(values, self.devices[0])
