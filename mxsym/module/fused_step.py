"""A training step as one XLA program: forward, backward and the optimizer's update.

`Module.fit` uses it when the executor can give forward and backward as one pure function
(every output a loss layer, grad_req 'write'/'null') and the optimizer's update is its pure
`step` (no float16 master copies, no monitor watching intermediate values). The learning rates,
weight decays and other per-step scalars are arguments of the program, so schedules and update
counts change them without recompiling; they are computed exactly as the updater computes them.
"""
import jax
import numpy as np

from .. import profile_trace
from ..optimizer import Optimizer


class FusedTrainStep:
    """Runs `fit`'s step for one executor and writes back everything the unfused step would:
    outputs, aux states, gradients, weights and the updater's states. `param_names` are the
    Module's parameters, in the updater's index order; `placement` puts new optimizer states
    where the step's arrays live."""

    def __init__(self, executor, param_names, optimizer, updater, placement, pure_step):
        self.executor = executor
        self.optimizer, self.updater, self.placement = optimizer, updater, placement
        arg_names = list(executor.arg_dict)
        grads = executor.grad_dict
        self._trainable = [i for i, name in enumerate(arg_names) if grads[name] is not None]
        self._params = [(index, arg_names.index(name))
                        for index, name in enumerate(param_names) if grads[name] is not None]
        self._pure_step = pure_step
        self._compiled = {}

    @classmethod
    def build(cls, executor, param_names, optimizer, updater, placement):
        """The fused step for `executor`, or None where it cannot be used (an optimizer with
        an update of its own, float16 weights with master copies, a graph whose step is not
        one pure function)."""
        if any(getattr(type(optimizer), name) is not getattr(Optimizer, name)
               for name in ('update', 'update_multi_precision')):
            return None
        weights = [executor.arg_dict[name] for name in param_names]
        if optimizer.multi_precision and any(w.dtype == np.float16 for w in weights):
            return None
        pure_step = executor.fused_train_program()
        if pure_step is None:
            return None
        return cls(executor, param_names, optimizer, updater, placement, pure_step)

    def _program(self, optimizer):
        key = tuple(getattr(optimizer, name) for name in optimizer.step_constants)
        graph = self.executor.compiled_graph
        if key not in self._compiled:
            name = graph.program_name(('fit step', type(optimizer).__name__) + key)
            self._compiled[key] = (self.placement.compile_step(
                self._make_program(optimizer), list(self.executor.arg_dict), name), name)
        program, name = self._compiled[key]
        if profile_trace.RECORDING.symbolic:
            return profile_trace.watched(program, name, program, graph.op_of_node)
        return program

    def _make_program(self, optimizer):
        pure_step, trainable, params = self._pure_step, self._trainable, self._params
        optimizer_step = optimizer.step

        def train_step(args, aux, key, states, scalars):
            outputs, new_aux, grads = pure_step(args, aux, key)
            grad_of = dict(zip(trainable, grads))
            new_weights, new_states = [], []
            for (_, position), state, step_scalars in zip(params, states, scalars):
                weight, state = optimizer_step(args[position], grad_of[position], state,
                                               **step_scalars)
                new_weights.append(weight)
                new_states.append(state)
            return outputs, new_aux, grads, new_weights, new_states
        return train_step

    def run(self):
        """One step on the batch already loaded into the executor."""
        executor, optimizer, updater, placement = (self.executor, self.optimizer, self.updater,
                                                   self.placement)
        weights = [executor.arg_arrays[position] for _, position in self._params]
        optimizer._set_current_context(weights[0].context.device_id if weights else 0)
        states = []
        for (index, _), weight in zip(self._params, weights):
            if index not in updater.states:
                updater.states[index] = optimizer.create_state_multi_precision(index, weight)
                placement.commit(jax.tree_util.tree_leaves(updater.states[index]))
            updater.states_synced[index] = True
            states.append(jax.tree_util.tree_map(lambda array: array._data,
                                                 updater.states[index]))
        scalars = [optimizer.step_scalars(index) for index, _ in self._params]
        args, aux, key = executor.fused_train_inputs()
        outputs, new_aux, grads, new_weights, new_states = self._program(optimizer)(
            args, aux, key, placement.replicate(states), scalars)
        executor.store_train_results(outputs, new_aux, grads)
        for weight, value in zip(weights, new_weights):
            weight._set_data(value)
        for (index, _), state in zip(self._params, new_states):
            for array, value in zip(jax.tree_util.tree_leaves(updater.states[index]),
                                    jax.tree_util.tree_leaves(state)):
                array._set_data(value)
