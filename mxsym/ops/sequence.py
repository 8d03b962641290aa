"""Sequence ops over (time, batch, ...) data: SequenceMask, SequenceLast, SequenceReverse."""
