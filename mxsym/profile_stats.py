"""MXNet's aggregate profiler statistics: per section (``operator``, each user domain), per
name, how many times and how long (milliseconds), printed as MXNet 1.9.1 prints them."""
import collections
import json

_HEADER = '\nProfile Statistics:\n\tNote the difference in units for different entries.\n'
_COLUMNS = ('Total Count', 'Time (ms)', 'Min Time (ms)', 'Max Time (ms)', 'Avg Time (ms)')
_SORT_KEYS = {'total': lambda row: row[1], 'avg': lambda row: row[4], 'min': lambda row: row[2],
              'max': lambda row: row[3], 'count': lambda row: row[0]}


class Stats:
    """The statistics kept so far: {section: {name: [durations or values]}}."""

    def __init__(self):
        self._sections = collections.defaultdict(lambda: collections.defaultdict(list))

    def section(self, name):
        """Make sure a section is shown, even with no rows."""
        return self._sections[name]

    def add(self, section, name, milliseconds):
        self._sections[section][name].append(milliseconds)

    def add_value(self, section, name, value):
        """A counter's new value (MXNet shows counters' values in the time columns)."""
        self._sections[section][name].append(value / 1000.0)

    def add_operators(self, events):
        """The operator events of a trace, one count per operator run: the kernels of one
        node in one run of a program add up."""
        runs = collections.defaultdict(float)
        for event in events:
            if event.get('cat') == 'operator':
                args = event['args']
                runs[(event['name'], args.get('node'), args.get('hlo_module'),
                      args.get('run_id'))] += event['dur']
        for (name, *_), micros in runs.items():
            self.add('operator', name, micros / 1000.0)

    def _rows(self, section, sort_by, ascending):
        rows = [(name, (len(values), sum(values), min(values), max(values),
                        sum(values) / len(values)))
                for name, values in self._sections[section].items() if values]
        return sorted(rows, key=lambda row: _SORT_KEYS[sort_by](row[1]), reverse=not ascending)

    def text(self, format, sort_by, ascending):
        """The table (``format`` 'table') or MXNet's JSON document ('json')."""
        if format == 'json':
            return json.dumps({
                'Time': {section: {name: dict(zip(('Count', 'Total', 'Min', 'Max', 'Avg'),
                                                  numbers))
                                   for name, numbers in self._rows(section, sort_by, ascending)}
                         for section in sorted(self._sections)},
                'Unit': {'Time': 'ms'}}, indent=4)
        lines = [_HEADER]
        for section in sorted(self._sections):
            lines.append('%s\n=================\n' % section)
            lines.append('Name'.ljust(25) + '%16s' % _COLUMNS[0]
                         + ''.join('%17s' % column for column in _COLUMNS[1:]) + '\n')
            lines.append('----'.ljust(25) + '%16s' % ('-' * len(_COLUMNS[0]))
                         + ''.join('%17s' % ('-' * len(column)) for column in _COLUMNS[1:])
                         + '\n')
            for name, (count, total, low, high, mean) in self._rows(section, sort_by, ascending):
                lines.append(name.ljust(25) + '%16d' % count
                             + ''.join('%17.4f' % v for v in (total, low, high, mean)) + '\n')
            lines.append('\n')
        return ''.join(lines)
