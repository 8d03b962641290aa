"""`mx.lr_scheduler`: learning rates as a function of the update count, as MXNet 1.9.1 computes
them.

A scheduler is called with ``num_update``, the largest number of updates applied to any one
parameter, and returns the learning rate. Factor schedulers keep state (the current rate), so
they must be called with non-decreasing counts, as an optimizer does. Every scheduler can start
with a warmup of `warmup_steps` updates, rising linearly from `warmup_begin_lr` or held there.
"""
import logging
from math import cos, pi

from .base import MXNetError


class LRScheduler:
    """Base class: the warmup shared by all schedulers."""

    def __init__(self, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0, warmup_mode='linear'):
        if not isinstance(warmup_steps, int):
            raise MXNetError('warmup_steps must be an int, got %r' % (warmup_steps,))
        if warmup_begin_lr > base_lr:
            raise MXNetError('Base lr has to be higher than warmup_begin_lr')
        if warmup_steps < 0:
            raise MXNetError('Warmup steps has to be positive or 0')
        if warmup_mode not in ('linear', 'constant'):
            raise MXNetError('Supports only linear and constant modes of warmup')
        self.base_lr = base_lr
        self.warmup_steps = warmup_steps
        self.warmup_final_lr = base_lr
        self.warmup_begin_lr = warmup_begin_lr
        self.warmup_mode = warmup_mode

    def get_warmup_lr(self, num_update):
        """The learning rate during warmup (`num_update` < `warmup_steps`)."""
        if num_update >= self.warmup_steps:
            raise MXNetError('update %d is past the %d warmup steps'
                             % (num_update, self.warmup_steps))
        if self.warmup_mode == 'constant':
            return self.warmup_begin_lr
        increase = ((self.warmup_final_lr - self.warmup_begin_lr)
                    * float(num_update) / float(self.warmup_steps))
        return self.warmup_begin_lr + increase

    def __call__(self, num_update):
        raise NotImplementedError('must override this')


def _check_factor(factor):
    if factor > 1.0:
        raise MXNetError('Factor must be no more than 1 to make lr reduce')


class FactorScheduler(LRScheduler):
    """``base_lr * factor ** floor((num_update - 1) / step)``, never below `stop_factor_lr`."""

    def __init__(self, step, factor=1, stop_factor_lr=1e-8, base_lr=0.01, warmup_steps=0,
                 warmup_begin_lr=0, warmup_mode='linear'):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if step < 1:
            raise MXNetError('Schedule step must be greater or equal than 1 round')
        _check_factor(factor)
        self.step = step
        self.factor = factor
        self.stop_factor_lr = stop_factor_lr
        self.count = 0

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        while num_update > self.count + self.step:
            self.count += self.step
            self.base_lr *= self.factor
            if self.base_lr < self.stop_factor_lr:
                self.base_lr = self.stop_factor_lr
                logging.info('Update[%d]: now learning rate arrived at %0.5e, will not change '
                             'in the future', num_update, self.base_lr)
            else:
                logging.info('Update[%d]: Change learning rate to %0.5e', num_update,
                             self.base_lr)
        return self.base_lr


class MultiFactorScheduler(LRScheduler):
    """The rate times `factor` once past each of the increasing update counts in `step`."""

    def __init__(self, step, factor=1, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode='linear'):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if not isinstance(step, list) or not step:
            raise MXNetError('MultiFactorScheduler needs a non-empty list of steps, got %r'
                             % (step,))
        for i, one in enumerate(step):
            if i != 0 and step[i] <= step[i - 1]:
                raise MXNetError('Schedule step must be an increasing integer list')
            if one < 1:
                raise MXNetError('Schedule step must be greater or equal than 1 round')
        _check_factor(factor)
        self.step = step
        self.cur_step_ind = 0
        self.factor = factor
        self.count = 0

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        while self.cur_step_ind < len(self.step) and num_update > self.step[self.cur_step_ind]:
            self.count = self.step[self.cur_step_ind]
            self.cur_step_ind += 1
            self.base_lr *= self.factor
            logging.info('Update[%d]: Change learning rate to %0.5e', num_update, self.base_lr)
        return self.base_lr


class _DecayToFinal(LRScheduler):
    """Shared by the polynomial and cosine schedules: a decay from the constructor's `base_lr`
    to `final_lr` over the updates after warmup, up to `max_update`, then held."""

    def __init__(self, max_update, base_lr, final_lr, warmup_steps, warmup_begin_lr,
                 warmup_mode):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if not isinstance(max_update, int):
            raise MXNetError('max_update must be an int, got %r' % (max_update,))
        if max_update < 1:
            raise MXNetError('maximum number of updates must be strictly positive')
        self.base_lr_orig = self.base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.max_steps = self.max_update - self.warmup_steps

    def _remaining(self, elapsed):
        """The fraction of the decay still to come `elapsed` updates after warmup."""
        raise NotImplementedError

    def __call__(self, num_update):
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        if num_update <= self.max_update:
            remaining = self._remaining(num_update - self.warmup_steps)
            self.base_lr = self.final_lr + (self.base_lr_orig - self.final_lr) * remaining
        return self.base_lr


class PolyScheduler(_DecayToFinal):
    """``final_lr + (base_lr - final_lr) * (1 - elapsed / max_steps) ** pwr``."""

    def __init__(self, max_update, base_lr=0.01, pwr=2, final_lr=0, warmup_steps=0,
                 warmup_begin_lr=0, warmup_mode='linear'):
        super().__init__(max_update, base_lr, final_lr, warmup_steps, warmup_begin_lr,
                         warmup_mode)
        self.power = pwr

    def _remaining(self, elapsed):
        return pow(1 - float(elapsed) / float(self.max_steps), self.power)


class CosineScheduler(_DecayToFinal):
    """``final_lr + (base_lr - final_lr) * (1 + cos(pi * elapsed / max_steps)) / 2``."""

    def __init__(self, max_update, base_lr=0.01, final_lr=0, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode='linear'):
        super().__init__(max_update, base_lr, final_lr, warmup_steps, warmup_begin_lr,
                         warmup_mode)

    def _remaining(self, elapsed):
        return (1 + cos(pi * elapsed / self.max_steps)) / 2
