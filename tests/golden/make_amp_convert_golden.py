"""Write amp_convert.json: for each case of amp_convert_cases.py, the nodes of MXNet 1.9.1's
``amp.convert_symbol`` result (op, name, attrs, inputs; casts kept) and the dtypes of its
outputs when bound with float32 arguments.

Run with MXNet 1.9.1 installed (``python make_amp_convert_golden.py``);
tests/contrib/test_amp_convert.py checks that mxsym converts every case alike.
"""
import json
import os
import warnings

import mxnet as mx
import numpy as np
from mxnet.contrib.amp import amp

from amp_convert_cases import CASES, NETWORKS

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    golden = {}
    for name, (network, kwargs) in CASES.items():
        with mx.name.NameManager(), warnings.catch_warnings():
            warnings.simplefilter('ignore')
            sym, shapes = NETWORKS[network](mx)
            converted = amp.convert_symbol(sym, **kwargs)
        nodes = json.loads(converted.tojson(remove_amp_cast=False))['nodes']
        outputs = converted.simple_bind(mx.cpu(), grad_req='null', **shapes).outputs
        golden[name] = {
            'nodes': [[n['op'], n['name'], n.get('attrs', {}), n['inputs']] for n in nodes],
            'output_dtypes': [np.dtype(out.dtype).name for out in outputs],
        }
    with open(os.path.join(HERE, 'amp_convert.json'), 'w') as out:
        json.dump(golden, out, indent=1, sort_keys=True)


if __name__ == '__main__':
    main()
