"""Backward through integer-typed values, as MXNet runs it.

MXNet's backward kernels run in each value's own dtype, so a gradient passing through an
integer value is an integer, computed with C's integer arithmetic (truncating division,
wrap-around). JAX autodiff carries no gradient through integers. A graph with integer values on
a gradient path therefore gets its own backward: a reverse sweep over the lowered steps,
compiled once per (graph, grad_req). It reruns the training forward keeping every value, then
walks the steps backwards, holding one cotangent per value in that value's dtype (a value that
feeds several nodes sums their gradients in its dtype, as MXNet's gradient aggregation does).
A node whose gradient path is all floating point is differentiated by JAX (custom gradients of
loss layers included); a node touching integers applies its op's `integer_backward` rule, and
an op without one is refused with an error naming the node.
"""
import jax
import jax.numpy as jnp

from .base import MXNetError
from .graph import gradient_carriers
from .ops_registry import run_context


def _is_float(value):
    return jnp.issubdtype(value.dtype, jnp.inexact)


class IntegerBackward:
    """The reverse sweep of one graph: which slots carry gradients, and the sweep itself.
    `program` is the graph lowered, `nodes` its nodes in topological order."""

    def __init__(self, program, nodes, grad_reqs):
        self.program = program
        self.all_nodes = nodes
        self.nodes = {step.node_index: nodes[step.node_index] for step in self.program.steps}
        self.wanted = [i for i, req in enumerate(grad_reqs) if req != 'null']
        self.adds = [grad_reqs[i] == 'add' for i in self.wanted]
        self.live = self._gradient_slots()

    def _gradient_slots(self):
        """Slots a requested argument's gradient passes through (never via inputs MXNet
        does not differentiate)."""
        carriers = gradient_carriers(self.all_nodes,
                                     {self.program.arg_names[i] for i in self.wanted})
        live = {self.program.arg_slots[i] for i in self.wanted}
        for step in self.program.steps:
            if id(self.nodes[step.node_index]) in carriers:
                live.update(self._output_slots(step))
        return live

    def _output_slots(self, step):
        count = self.nodes[step.node_index].num_outputs
        return range(step.first_output_slot, step.first_output_slot + count)

    def __call__(self, args, aux, key, heads, old_grads):
        """Gradients of the requested arguments (argument order), 'add' ones added to their
        old values."""
        values, _ = self.program.run_all(args, aux, key, is_train=True)
        cotangents = {}

        def accumulate(slot, gradient):
            if gradient is not None:
                previous = cotangents.get(slot)
                cotangents[slot] = gradient if previous is None else previous + gradient

        for slot, head in zip(self.program.output_slots, heads):
            if slot in self.live:
                accumulate(slot, jnp.asarray(head, values[slot].dtype))
        for step in reversed(self.program.steps):
            outputs = list(self._output_slots(step))
            positions = [position for position, slot in enumerate(step.input_slots)
                         if slot in self.live and position not in step.nondiff]
            if not positions or not any(slot in cotangents for slot in outputs):
                continue
            node_key = None if key is None else jax.random.fold_in(key, step.node_index)
            gradients = self._node_gradients(
                step, node_key, [values[s] for s in step.input_slots],
                [values[s] for s in outputs],
                [cotangents.get(s) for s in outputs], positions)
            for position in positions:
                accumulate(step.input_slots[position], gradients[position])

        grads = []
        for index, add, old in zip(self.wanted, self.adds, old_grads):
            slot = self.program.arg_slots[index]
            grad = cotangents.get(slot)
            grad = jnp.zeros_like(values[slot]) if grad is None else grad
            grads.append(grad + old if add else grad)
        return grads

    def _node_gradients(self, step, key, inputs, outputs, heads, positions):
        """One gradient per input of a node (None where zero)."""
        ctx = run_context(step.op, True, key)

        def forward(*values):
            return step.split_result(step.compute(step.params, ctx, *values))[0]

        node = self.nodes[step.node_index]
        return op_gradients(node.op, step.params, forward, inputs, outputs, heads, positions,
                            node.describe())


def op_gradients(op, params, forward, inputs, outputs, heads, positions, describe):
    """One gradient per input of one op application (None where zero; heads None for outputs
    without a gradient): JAX's vjp where the gradient path is all floating point, else the
    op's `integer_backward` rule. `forward` maps the inputs to the outputs; `describe` names
    the node in errors."""
    carried = [i for i, head in enumerate(heads) if head is not None]
    if (all(_is_float(inputs[p]) for p in positions)
            and all(_is_float(outputs[i]) for i in carried)):
        return _float_gradients(forward, inputs, heads, positions, carried)
    rule = op.integer_backward
    if rule is None:
        raise MXNetError('backward: gradients through integer-typed values are not '
                         'supported for %s: the op has no integer backward rule' % describe)
    heads = [jnp.zeros_like(out) if head is None else head
             for out, head in zip(outputs, heads)]
    gradients = list(rule(params, inputs, outputs, heads, forward))
    for position in positions:
        gradient, value = gradients[position], inputs[position]
        if gradient is not None and (gradient.dtype, gradient.shape) != (value.dtype,
                                                                       value.shape):
            raise MXNetError('backward: the integer backward rule of %s gave input %d a '
                             'gradient of %s %s for a value of %s %s'
                             % (describe, position, gradient.dtype, gradient.shape,
                                value.dtype, value.shape))
    return [gradients[p] if p in positions else None for p in range(len(inputs))]


def _float_gradients(forward, inputs, heads, positions, carried):
    """JAX's vjp of the node's forward in its floating-point inputs."""
    def partial(*varied):
        values = list(inputs)
        for position, value in zip(positions, varied):
            values[position] = value
        result = forward(*values)
        return [result[i] for i in carried]
    _, pullback = jax.vjp(partial, *[inputs[p] for p in positions])
    varied = pullback([heads[i] for i in carried])
    gradients = [None] * len(inputs)
    for position, gradient in zip(positions, varied):
        gradients[position] = gradient
    return gradients

