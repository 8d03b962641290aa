"""XLA options for mxsym's programs: XLA's own convolutions, YNNPACK's products and reductions;
small programs compiled quickly; none where the user set the option or XLA does not know
it."""
import math
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from mxsym import compile_options
from mxsym.compilation_cache import CachedJit


@pytest.fixture
def fresh_options():
    compile_options.compiler_options.cache_clear()
    yield
    compile_options.compiler_options.cache_clear()


def convolve_and_sum(x, w):
    y = lax.conv_general_dilated(x, w, (1, 1), [(1, 1)] * 2,
                                 dimension_numbers=('NHWC', 'OHWI', 'NHWC'))
    return y, (y * y).sum((0, 1, 2))


def compiled_text(jitted):
    x = jnp.ones((2, 8, 8, 32), jnp.float32)
    w = jnp.ones((32, 3, 3, 32), jnp.float32)
    return jitted.lower(x, w).compile().as_text()


def entry_computation(text):
    return text[text.index('\nENTRY'):]


# compiler_options() gives options only where JAX's default backend is the CPU (they set
# XLA:CPU's library choice); on a GPU machine there is nothing to observe. CI runs on a CPU.
@pytest.mark.skipif(jax.default_backend() != 'cpu', reason='the options are for XLA:CPU')
def test_convolutions_stay_with_xla_on_cpu(fresh_options, monkeypatch):
    monkeypatch.delenv('XLA_FLAGS', raising=False)
    assert compile_options.compiler_options() == compile_options.CPU_OPTIONS
    for jitted in (compile_options.jit(convolve_and_sum),
                   CachedJit(convolve_and_sum, ('convolve and sum',))._jit):
        entry = entry_computation(compiled_text(jitted))
        # The convolution is the program's own instruction; the reduction, YNNPACK's fusion.
        assert re.search(r' = f32\[2,8,8,32\]\S* convolution\(', entry)
        assert len(re.findall(r'%ynn_fusion\S* = f32\[32\]', entry)) == 1
    x = jnp.arange(2 * 8 * 8 * 32, dtype=jnp.float32).reshape(2, 8, 8, 32) / 4096
    w = jnp.ones((32, 3, 3, 32), jnp.float32)
    for ours, plain in zip(compile_options.jit(convolve_and_sum)(x, w),
                           jax.jit(convolve_and_sum)(x, w)):
        np.testing.assert_allclose(ours, plain, rtol=1e-6)


def test_users_own_setting_wins(fresh_options, monkeypatch):
    monkeypatch.setenv('XLA_FLAGS', '--xla_cpu_experimental_ynn_fusion_type=')
    assert compile_options.compiler_options() is None


def test_option_xla_does_not_know_is_left_out(fresh_options, monkeypatch):
    monkeypatch.delenv('XLA_FLAGS', raising=False)
    monkeypatch.setattr(compile_options, 'CPU_OPTIONS', {'xla_cpu_no_such_option': 'true'})
    assert compile_options.compiler_options() is None
    np.testing.assert_array_equal(compile_options.jit(lambda x: x * 2)(jnp.ones(2)), [2, 2])


# The quick options are XLA:CPU's (as above); CI runs on a CPU, where this always runs.
@pytest.mark.skipif(jax.default_backend() != 'cpu', reason='the options are for XLA:CPU')
@pytest.mark.parametrize('shape, small', [((16, 16), True), ((3, 2000), False)])
def test_small_programs_are_compiled_quickly(fresh_options, monkeypatch, shape, small):
    """Small inputs and outputs: the quick options, and the same values as compiled in full."""
    monkeypatch.delenv('XLA_FLAGS', raising=False)
    compile_options.quick_options.cache_clear()
    function = compile_options.jit(lambda x: (jnp.tanh(x) * x).sum(0))
    x = jnp.linspace(-3, 3, math.prod(shape), dtype=jnp.float32).reshape(shape)
    lowered = function.lower(x)
    assert compile_options.is_small(lowered) is small
    executable, quick = compile_options.compile_lowered(lowered)
    assert quick is small
    np.testing.assert_allclose(executable(x), lowered.compile()(x), rtol=1e-6)


def test_quick_options_left_out_where_the_user_sets_one(monkeypatch):
    compile_options.quick_options.cache_clear()
    monkeypatch.setenv('XLA_FLAGS', '--xla_backend_optimization_level=2')
    try:
        assert compile_options.quick_options() is None
        lowered = compile_options.jit(lambda x: x + 1).lower(jnp.ones(2))
        assert compile_options.compile_lowered(lowered)[1] is False
    finally:
        compile_options.quick_options.cache_clear()
