"""`Module._exec_group`: MXNet's executor group of a bound Module, as code outside the Module
reads it (its executors, shapes, names and arrays).

MXNet binds one executor per context; a Module here runs one executor over all its contexts
(`data_parallel.py`), so `execs` holds that one and every array list has one entry per name,
the whole batch in one slice.
"""


class ExecutorGroup:
    """A live view of `module`'s bound executor under the names of MXNet's
    ``DataParallelExecutorGroup``; it follows the Module through rebinds and reshapes."""

    def __init__(self, module):
        self._module = module

    @property
    def execs(self):
        return [self._module._exec]

    @property
    def contexts(self):
        return self._module._context

    @property
    def symbol(self):
        return self._module.symbol

    @property
    def for_training(self):
        return self._module.for_training

    @property
    def inputs_need_grad(self):
        return self._module.inputs_need_grad

    @property
    def batch_size(self):
        return self._module._placement.batch_size

    @property
    def slices(self):
        return None if self.batch_size is None else [slice(0, self.batch_size)]

    @property
    def data_shapes(self):
        return self._module.data_shapes

    @property
    def label_shapes(self):
        return self._module._label_shapes

    @property
    def data_names(self):
        return [desc.name for desc in self.data_shapes]

    @property
    def label_names(self):
        return None if self.label_shapes is None else [desc.name for desc in self.label_shapes]

    @property
    def param_names(self):
        return self._module._param_names

    @property
    def state_names(self):
        return self._module._state_names

    @property
    def arg_names(self):
        return self.symbol.list_arguments()

    @property
    def aux_names(self):
        return self.symbol.list_auxiliary_states()

    @property
    def output_names(self):
        return self.symbol.list_outputs()

    def _batch_arrays(self, descs):
        whole = self.slices[0] if self.slices else slice(0, 1)
        return [[(whole, self._module._exec.arg_dict[desc.name])] for desc in descs]

    @property
    def data_arrays(self):
        return self._batch_arrays(self.data_shapes)

    @property
    def label_arrays(self):
        return None if self.label_shapes is None else self._batch_arrays(self.label_shapes)

    @property
    def state_arrays(self):
        return [[self._module._exec.arg_dict[name]] for name in self.state_names]

    @property
    def param_arrays(self):
        return [[self._module._exec.arg_dict[name]] for name in self.arg_names
                if name in self.param_names]

    @property
    def grad_arrays(self):
        if not self.for_training:
            return None
        return [[self._module._exec.grad_dict[name]] for name in self.arg_names
                if name in self.param_names]

    @property
    def input_grad_arrays(self):
        if not self.inputs_need_grad:
            return None
        return [[self._module._exec.grad_dict[name]] for name in self.data_names
                if name in self.arg_names]

    @property
    def aux_arrays(self):
        return [[array] for array in self._module._exec.aux_arrays]
