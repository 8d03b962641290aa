"""Export a corpus of model files as MXNet 1.9.1 users hold them, for tests/test_corpus.py.

Run with a Python that has mxnet==1.9.1 installed: python tests/golden/make_corpus.py
Every Gluon model-zoo vision family (ResNet v1/v2 18-152, MobileNet v1/v2, DenseNet,
SqueezeNet, VGG(-BN), Inception v3, AlexNet) is built from the model-zoo classes at tiny widths;
the GluonCV and GluonNLP architectures (ResNeXt, SE-ResNet, MobileNet v3, SSD and YOLO heads,
FCN, simple-baseline pose, Faster R-CNN, BERT encoder, LSTM/GRU language models), an
insightface-style ArcFace ResNet with PReLU and a block written in NumPy mode (``npx.set_np()``,
exporting ``_np_*`` / ``_npi_*`` / ``_npx_*`` nodes and an np-shape params file) are written
here from Gluon blocks in their shape. Each is given parameter values from a fixed numpy seed,
hybridized, run on fixed inputs and exported (``HybridBlock.export``); an AMP (bfloat16) conversion keeps its ``amp_cast`` nodes; symbol-API
networks are saved as ``Module`` checkpoints.

Writes ``corpus/<name>-symbol.json``, ``corpus/<name>-0000.params``, ``corpus/<name>.npz``
(``input:<name>`` arrays, inference ``output<i>``, MXNet's ``tojson`` text; for some, a
training step through the exported symbol: ``train_output<i>``, ``head_grad<i>`` and
``grad:<param>``) and ``corpus/manifest.json`` describing each model.
"""
import contextlib
import json
import os
import zlib

import mxnet as mx
import numpy as np
from mxnet import npx
from mxnet.contrib import amp
from mxnet.gluon import HybridBlock, nn, rnn
from mxnet.gluon.contrib import nn as contrib_nn
from mxnet.gluon.model_zoo import vision
from mxnet.util import is_np_array

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
# Each model's inputs, parameter values and head gradients come from a stream seeded by its
# name. Gluon and symbol names share counters (``activation0``): new Gluon models go at the end
# and new symbols name their nodes, so adding a model leaves the others' files as they are.
RNG = np.random.RandomState(0)


# ---------------------------------------------------------------------------- inputs

def grid(*shape):
    """An input to draw: multiples of 1/16 in [-1, 1]."""
    return lambda: (RNG.randint(-16, 17, shape) / 16.0).astype('float32')


def image(batch, size, width=None):
    return grid(batch, 3, size, width or size)


def tokens(batch, length, vocab):
    """An input to draw: token ids in [0, vocab)."""
    return lambda: RNG.randint(0, vocab, (batch, length)).astype('float32')


def drawn(name, inputs):
    """The model's inputs, drawn from the stream seeded by its name (arrays given as such)."""
    RNG.seed(zlib.crc32(name.encode()))
    return [x() if callable(x) else x for x in inputs]


def parameter_values(name, shape):
    """He-scaled weights and small biases on a power-of-two grid (few distinct numbers, so the
    files compress well); non-trivial normalization statistics, and scales below 1 so that
    deep residual networks stay in range."""
    if name.endswith(('running_var', 'moving_var')):
        return RNG.randint(8, 25, shape) / 16.0
    if name.endswith('gamma'):
        return RNG.randint(4, 13, shape) / 16.0
    if name.endswith(('running_mean', 'moving_mean', 'beta', 'bias')):
        return RNG.randint(-8, 9, shape) / 16.0
    if name.endswith('alpha'):
        return RNG.randint(1, 5, shape) / 16.0
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
    step = 2.0 ** np.round(np.log2(np.sqrt(2.0 / fan_in) / 2))
    return RNG.randint(-3, 4, shape) * step


@contextlib.contextmanager
def narrowed(divisor):
    """Model-zoo classes with hard-coded widths (SqueezeNet, Inception v3, AlexNet, VGG's
    4096-unit layers) built with every Conv2D/Dense of 32 or more units divided by
    ``divisor``."""
    conv, dense = nn.Conv2D, nn.Dense

    def narrow(units):
        return units // divisor if units >= 32 else units

    nn.Conv2D = lambda channels, *args, **kwargs: conv(narrow(channels), *args, **kwargs)
    nn.Dense = lambda units, *args, **kwargs: dense(narrow(units), *args, **kwargs)
    try:
        yield
    finally:
        nn.Conv2D, nn.Dense = conv, dense


# ---------------------------------------------------------------------------- GluonCV shapes

class SEBasicBlockV1(HybridBlock):
    """GluonCV's SE_BasicBlockV1: a ResNet basic block with squeeze-and-excitation."""

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self.body = nn.HybridSequential(prefix='')
        self.body.add(nn.Conv2D(channels, 3, stride, 1, use_bias=False, in_channels=in_channels),
                      nn.BatchNorm(), nn.Activation('relu'),
                      nn.Conv2D(channels, 3, 1, 1, use_bias=False), nn.BatchNorm())
        self.se = nn.HybridSequential(prefix='')
        self.se.add(nn.Dense(max(channels // 4, 1), use_bias=False), nn.Activation('relu'),
                    nn.Dense(channels, use_bias=False), nn.Activation('sigmoid'))
        self.downsample = None
        if downsample:
            self.downsample = nn.HybridSequential(prefix='')
            self.downsample.add(nn.Conv2D(channels, 1, stride, use_bias=False,
                                          in_channels=in_channels), nn.BatchNorm())

    def hybrid_forward(self, F, x):
        residual = x
        x = self.body(x)
        w = self.se(F.contrib.AdaptiveAvgPooling2D(x, output_size=1))
        x = F.broadcast_mul(x, w.expand_dims(axis=2).expand_dims(axis=2))
        if self.downsample is not None:
            residual = self.downsample(residual)
        return F.Activation(x + residual, act_type='relu')


class ResNeXtBlock(HybridBlock):
    """GluonCV's ResNeXt bottleneck: grouped 3x3 convolution between 1x1 convolutions."""

    def __init__(self, channels, cardinality, bottleneck_width, stride, downsample=False,
                 **kwargs):
        super().__init__(**kwargs)
        group_width = cardinality * max(channels * bottleneck_width // 64, 1)
        self.body = nn.HybridSequential(prefix='')
        self.body.add(nn.Conv2D(group_width, 1, use_bias=False), nn.BatchNorm(),
                      nn.Activation('relu'),
                      nn.Conv2D(group_width, 3, stride, 1, groups=cardinality, use_bias=False),
                      nn.BatchNorm(), nn.Activation('relu'),
                      nn.Conv2D(channels * 4, 1, use_bias=False), nn.BatchNorm())
        self.downsample = None
        if downsample:
            self.downsample = nn.HybridSequential(prefix='')
            self.downsample.add(nn.Conv2D(channels * 4, 1, stride, use_bias=False),
                                nn.BatchNorm())

    def hybrid_forward(self, F, x):
        residual = x if self.downsample is None else self.downsample(x)
        return F.Activation(self.body(x) + residual, act_type='relu')


class StagedNet(HybridBlock):
    """A stem, stages of ``block(channels, stride, downsample)`` and a classifier."""

    def __init__(self, block, layers, channels, classes=10, **kwargs):
        super().__init__(**kwargs)
        self.features = nn.HybridSequential(prefix='')
        self.features.add(nn.Conv2D(channels[0], 3, 1, 1, use_bias=False), nn.BatchNorm(),
                          nn.Activation('relu'))
        for i, (count, width) in enumerate(zip(layers, channels[1:])):
            stride = 1 if i == 0 else 2
            for j in range(count):
                self.features.add(block(width, stride if j == 0 else 1, downsample=j == 0))
        self.features.add(nn.GlobalAvgPool2D())
        self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


class HardSwish(HybridBlock):
    def hybrid_forward(self, F, x):
        return x * F.clip(x + 3.0, 0.0, 6.0) / 6.0


class MobileNetV3Unit(HybridBlock):
    """GluonCV's MobileNetV3 bottleneck: expand, depthwise, squeeze-excite (hard sigmoid),
    project, with a residual when the shape allows."""

    def __init__(self, in_channels, expanded, channels, kernel, stride, use_se, hard, **kwargs):
        super().__init__(**kwargs)
        self.residual = stride == 1 and in_channels == channels
        act = HardSwish if hard else (lambda: nn.Activation('relu'))
        self.expand = nn.HybridSequential(prefix='')
        self.expand.add(nn.Conv2D(expanded, 1, use_bias=False), nn.BatchNorm(), act(),
                        nn.Conv2D(expanded, kernel, stride, kernel // 2, groups=expanded,
                                  use_bias=False), nn.BatchNorm(), act())
        self.se = None
        if use_se:
            self.se = nn.HybridSequential(prefix='')
            self.se.add(nn.GlobalAvgPool2D(), nn.Conv2D(max(expanded // 4, 1), 1),
                        nn.Activation('relu'), nn.Conv2D(expanded, 1))
        self.project = nn.HybridSequential(prefix='')
        self.project.add(nn.Conv2D(channels, 1, use_bias=False), nn.BatchNorm())

    def hybrid_forward(self, F, x):
        out = self.expand(x)
        if self.se is not None:
            out = F.broadcast_mul(out, F.hard_sigmoid(self.se(out), alpha=1 / 6., beta=0.5))
        out = self.project(out)
        return out + x if self.residual else out


class MobileNetV3Small(HybridBlock):
    # (expanded, channels, kernel, stride, squeeze-excite, hard swish)
    UNITS = [(8, 8, 3, 2, True, False), (16, 8, 3, 2, False, False), (16, 8, 3, 1, False, False),
             (16, 16, 5, 2, True, True), (32, 16, 5, 1, True, True)]

    def __init__(self, classes=10, **kwargs):
        super().__init__(**kwargs)
        self.features = nn.HybridSequential(prefix='')
        self.features.add(nn.Conv2D(8, 3, 2, 1, use_bias=False), nn.BatchNorm(), HardSwish())
        in_channels = 8
        for expanded, channels, kernel, stride, use_se, hard in self.UNITS:
            self.features.add(MobileNetV3Unit(in_channels, expanded, channels, kernel, stride,
                                              use_se, hard))
            in_channels = channels
        self.features.add(nn.Conv2D(32, 1, use_bias=False), nn.BatchNorm(), HardSwish(),
                          nn.GlobalAvgPool2D(), nn.Conv2D(24, 1), HardSwish(), nn.Flatten())
        self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def conv_bn_relu(channels, stride):
    block = nn.HybridSequential(prefix='')
    block.add(nn.Conv2D(channels, 3, stride, 1, use_bias=False), nn.BatchNorm(),
              nn.Activation('relu'))
    return block


class SSD(HybridBlock):
    """An SSD head on two scales: MultiBoxPrior anchors, class and box convolutions,
    MultiBoxDetection (decoding and NMS)."""

    SIZES = [(0.2, 0.3), (0.5, 0.7)]

    def __init__(self, classes=3, **kwargs):
        super().__init__(**kwargs)
        self.classes = classes
        anchors = len(self.SIZES[0]) + 3 - 1
        self.stages = nn.HybridSequential(prefix='')
        self.stages.add(nn.HybridSequential(prefix='s1_'), nn.HybridSequential(prefix='s2_'))
        self.stages[0].add(conv_bn_relu(8, 2), conv_bn_relu(8, 2))
        self.stages[1].add(conv_bn_relu(16, 2))
        self.class_preds = nn.HybridSequential(prefix='')
        self.box_preds = nn.HybridSequential(prefix='')
        for _ in self.SIZES:
            self.class_preds.add(nn.Conv2D(anchors * (classes + 1), 3, padding=1))
            self.box_preds.add(nn.Conv2D(anchors * 4, 3, padding=1))

    def hybrid_forward(self, F, x):
        anchors, class_preds, box_preds = [], [], []
        for stage, sizes, class_pred, box_pred in zip(self.stages, self.SIZES, self.class_preds,
                                                      self.box_preds):
            x = stage(x)
            anchors.append(F.contrib.MultiBoxPrior(x, sizes=sizes, ratios=(1, 2, 0.5)))
            class_preds.append(F.flatten(F.transpose(class_pred(x), axes=(0, 2, 3, 1))))
            box_preds.append(F.flatten(F.transpose(box_pred(x), axes=(0, 2, 3, 1))))
        class_prob = F.softmax(F.transpose(F.concat(*class_preds, dim=1).reshape(
            (0, -1, self.classes + 1)), axes=(0, 2, 1)), axis=1)
        return F.contrib.MultiBoxDetection(class_prob, F.concat(*box_preds, dim=1),
                                           F.concat(*anchors, dim=1), nms_threshold=0.45,
                                           nms_topk=40)


class YOLOHead(HybridBlock):
    """A YOLOv3-style output: per-anchor sigmoid/exp decoding on the grid, class scores and
    box_nms."""

    def __init__(self, classes=3, anchors=2, **kwargs):
        super().__init__(**kwargs)
        self.classes, self.anchors = classes, anchors
        self.backbone = nn.HybridSequential(prefix='')
        self.backbone.add(conv_bn_relu(8, 2), conv_bn_relu(16, 2), conv_bn_relu(16, 2))
        self.prediction = nn.Conv2D(anchors * (5 + classes), 1)

    def hybrid_forward(self, F, x):
        pred = self.prediction(self.backbone(x)).reshape((0, self.anchors, 5 + self.classes, -1))
        pred = F.transpose(pred, axes=(0, 1, 3, 2))
        grid = F.contrib.arange_like(pred, axis=2).reshape((1, 1, -1, 1))
        center = F.broadcast_add(F.sigmoid(F.slice_axis(pred, axis=-1, begin=0, end=2)), grid)
        size = F.exp(F.slice_axis(pred, axis=-1, begin=2, end=4))
        objectness = F.sigmoid(F.slice_axis(pred, axis=-1, begin=4, end=5))
        scores = F.broadcast_mul(objectness, F.sigmoid(F.slice_axis(pred, axis=-1, begin=5,
                                                                    end=None)))
        ids = F.argmax(scores, axis=-1, keepdims=True)
        best = F.max(scores, axis=-1, keepdims=True)
        detections = F.concat(ids, best, center - size / 2, center + size / 2, dim=-1)
        return F.contrib.box_nms(detections.reshape((0, -1, 6)), overlap_thresh=0.45,
                                 valid_thresh=0.05, topk=20, coord_start=2, score_index=1,
                                 id_index=0)


class FasterRCNN(HybridBlock):
    """A Faster R-CNN export: an RPN (softmax over the 2-way reshape, contrib Proposal with
    NMS), ROIAlign of the proposals, and class and box heads."""

    SCALES = (2, 4)

    def __init__(self, classes=3, **kwargs):
        super().__init__(**kwargs)
        anchors = len(self.SCALES)
        self.backbone = nn.HybridSequential(prefix='')
        self.backbone.add(conv_bn_relu(8, 2), conv_bn_relu(16, 2))
        self.rpn = nn.Conv2D(16, 3, padding=1, activation='relu')
        self.rpn_score = nn.Conv2D(2 * anchors, 1)
        self.rpn_box = nn.Conv2D(4 * anchors, 1)
        self.head = nn.Dense(16, activation='relu')
        self.class_score = nn.Dense(classes + 1)
        self.box = nn.Dense(4 * (classes + 1))

    def hybrid_forward(self, F, x, im_info):
        features = self.backbone(x)
        rpn = self.rpn(features)
        score = F.softmax(self.rpn_score(rpn).reshape((0, 2, -1, 0)), axis=1)
        rois = F.contrib.Proposal(score.reshape((0, 2 * len(self.SCALES), -1, 0)),
                                  self.rpn_box(rpn), im_info, feature_stride=4,
                                  scales=self.SCALES, ratios=(1,), rpn_pre_nms_top_n=64,
                                  rpn_post_nms_top_n=8, threshold=0.7, rpn_min_size=2)
        pooled = F.contrib.ROIAlign(features, rois, pooled_size=(3, 3), spatial_scale=0.25,
                                    sample_ratio=2)
        hidden = self.head(pooled)
        return rois, F.softmax(self.class_score(hidden)), self.box(hidden)


class FCN(HybridBlock):
    """An FCN segmentation head: stride-8 features, 1x1 class scores, a learned 2x
    Deconvolution, BilinearResize2D back to the input's size."""

    def __init__(self, classes=4, **kwargs):
        super().__init__(**kwargs)
        self.backbone = nn.HybridSequential(prefix='')
        self.backbone.add(conv_bn_relu(8, 2), conv_bn_relu(16, 2), conv_bn_relu(16, 2))
        self.head = nn.HybridSequential(prefix='')
        self.head.add(conv_bn_relu(8, 1), nn.Conv2D(classes, 1))
        self.upsample = nn.Conv2DTranspose(classes, 4, strides=2, padding=1, groups=classes,
                                           in_channels=classes, use_bias=False)

    def hybrid_forward(self, F, x):
        scores = self.upsample(self.head(self.backbone(x)))
        return F.contrib.BilinearResize2D(scores, x, mode='like')


class DeepLabASPP(HybridBlock):
    """A DeepLab v3 head: dilated 3x3 branches, a 1x1 branch and an image-pooling branch
    resized back with BilinearResize2D (height/width), concatenated, projected and upsampled
    to the input's size."""

    def __init__(self, classes=4, **kwargs):
        super().__init__(**kwargs)
        self.backbone = nn.HybridSequential(prefix='')
        self.backbone.add(conv_bn_relu(8, 2), conv_bn_relu(16, 2), conv_bn_relu(16, 2))
        self.branches = nn.HybridSequential(prefix='')
        self.branches.add(nn.Conv2D(8, 1, use_bias=False))
        for rate in (2, 3):
            self.branches.add(nn.Conv2D(8, 3, padding=rate, dilation=rate, use_bias=False))
        self.pool = nn.HybridSequential(prefix='pool_')
        self.pool.add(nn.GlobalAvgPool2D(), nn.Conv2D(8, 1, use_bias=False),
                      nn.Activation('relu'))
        self.project = nn.HybridSequential(prefix='project_')
        self.project.add(nn.Conv2D(8, 1, use_bias=False), nn.BatchNorm(), nn.Activation('relu'),
                         nn.Conv2D(classes, 1))

    def hybrid_forward(self, F, x):
        features = self.backbone(x)
        pooled = F.contrib.BilinearResize2D(self.pool(features), height=4, width=3)
        branches = [branch(features) for branch in self.branches] + [pooled]
        scores = self.project(F.concat(*branches, dim=1))
        return F.contrib.BilinearResize2D(scores, scale_height=8., scale_width=8.,
                                          mode='odd_scale')


class TransformerDecoderCell(HybridBlock):
    """A GluonNLP transformer decoder cell on (length, batch, units): masked self-attention
    and encoder-decoder attention through the interleaved attention ops, with the memory
    masked by its valid length (SequenceMask)."""

    def __init__(self, units=16, heads=2, **kwargs):
        super().__init__(**kwargs)
        self.heads = heads
        self.self_qkv = nn.Dense(3 * units, flatten=False)
        self.query = nn.Dense(units, flatten=False)
        self.memory_kv = nn.Dense(2 * units, flatten=False)
        self.proj = nn.Dense(units, flatten=False)
        self.norm1 = nn.LayerNorm()
        self.norm2 = nn.LayerNorm()

    def hybrid_forward(self, F, x, memory, memory_length):
        qkv = self.self_qkv(x)
        scores = F.contrib.interleaved_matmul_selfatt_qk(qkv, heads=self.heads)
        steps = F.contrib.arange_like(scores, axis=-1)
        causal = F.broadcast_greater(steps.reshape((1, -1)), steps.reshape((-1, 1))) * -1e4
        weights = F.softmax(F.broadcast_add(scores, causal.expand_dims(axis=0)), axis=-1)
        x = self.norm1(x + F.contrib.interleaved_matmul_selfatt_valatt(qkv, weights,
                                                                        heads=self.heads))
        memory = F.SequenceMask(memory, memory_length, use_sequence_length=True, value=0)
        keys_values = self.memory_kv(memory)
        scores = F.contrib.interleaved_matmul_encdec_qk(self.query(x), keys_values,
                                                        heads=self.heads)
        weights = F.softmax(scores, axis=-1)
        context = F.contrib.interleaved_matmul_encdec_valatt(keys_values, weights,
                                                             heads=self.heads)
        return self.norm2(x + self.proj(context))


class SimplePose(HybridBlock):
    """A simple-baseline pose network: a ResNet trunk, two stride-2 Conv2DTranspose layers,
    keypoint heatmaps."""

    def __init__(self, keypoints=5, **kwargs):
        super().__init__(**kwargs)
        trunk = vision.ResNetV1(vision.BasicBlockV1, [1, 1, 1, 1], [8, 8, 12, 16, 24])
        self.trunk = trunk.features[:-1]
        self.deconv = nn.HybridSequential(prefix='')
        for _ in range(2):
            self.deconv.add(nn.Conv2DTranspose(8, 4, strides=2, padding=1, use_bias=False),
                            nn.BatchNorm(), nn.Activation('relu'))
        self.heatmaps = nn.Conv2D(keypoints, 1)

    def hybrid_forward(self, F, x):
        return self.heatmaps(self.deconv(self.trunk(x)))


# ---------------------------------------------------------------------------- insightface

class ArcFaceUnit(HybridBlock):
    """insightface's fresnet 'IR' unit: BN, conv, BN, PReLU, strided conv, BN, plus shortcut."""

    def __init__(self, channels, stride, shortcut, per_channel_alpha, **kwargs):
        super().__init__(**kwargs)
        self.body = nn.HybridSequential(prefix='')
        self.body.add(nn.BatchNorm(epsilon=2e-5), nn.Conv2D(channels, 3, 1, 1, use_bias=False),
                      nn.BatchNorm(epsilon=2e-5),
                      nn.PReLU(in_channels=channels if per_channel_alpha else 1),
                      nn.Conv2D(channels, 3, stride, 1, use_bias=False),
                      nn.BatchNorm(epsilon=2e-5))
        self.shortcut = None
        if shortcut:
            self.shortcut = nn.HybridSequential(prefix='')
            self.shortcut.add(nn.Conv2D(channels, 1, stride, use_bias=False),
                              nn.BatchNorm(epsilon=2e-5))

    def hybrid_forward(self, F, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


class ArcFaceResNet(HybridBlock):
    """An ArcFace embedding network: PReLU (one shared alpha, Gluon's default; one unit with
    per-channel alphas), the 'E' output (BN, Dense, BN) and an L2-normalized embedding."""

    def __init__(self, embedding=16, **kwargs):
        super().__init__(**kwargs)
        self.features = nn.HybridSequential(prefix='')
        self.features.add(nn.Conv2D(8, 3, 1, 1, use_bias=False), nn.BatchNorm(epsilon=2e-5),
                          nn.PReLU())
        for i, (channels, units) in enumerate([(8, 2), (16, 2), (16, 1)]):
            for j in range(units):
                self.features.add(ArcFaceUnit(channels, 2 if j == 0 else 1, j == 0,
                                              per_channel_alpha=i == 1))
        self.features.add(nn.BatchNorm(epsilon=2e-5), nn.Flatten(), nn.Dense(embedding),
                          nn.BatchNorm(epsilon=2e-5, scale=False))

    def hybrid_forward(self, F, x):
        return F.L2Normalization(self.features(x), mode='instance')


# ---------------------------------------------------------------------------- GluonNLP shapes

class EncoderLayer(HybridBlock):
    """A BERT encoder layer on (length, batch, units); attention either through the
    interleaved self-attention ops (GluonNLP's BERT) or through batch_dot with div_sqrt_dim
    (GluonNLP's DotProductAttentionCell)."""

    def __init__(self, units, heads, hidden, interleaved, **kwargs):
        super().__init__(**kwargs)
        self.units, self.heads, self.interleaved = units, heads, interleaved
        self.qkv = nn.Dense(3 * units, flatten=False)
        self.proj = nn.Dense(units, flatten=False)
        self.norm1 = nn.LayerNorm(epsilon=1e-12)
        self.ffn = nn.HybridSequential(prefix='ffn_')
        self.ffn.add(nn.Dense(hidden, flatten=False), nn.GELU(), nn.Dense(units, flatten=False))
        self.norm2 = nn.LayerNorm(epsilon=1e-12)

    def attention(self, F, x, mask):
        qkv = self.qkv(x)
        if self.interleaved:
            scores = F.contrib.interleaved_matmul_selfatt_qk(qkv, heads=self.heads)
            weights = F.softmax(F.broadcast_add(scores, mask), axis=-1)
            return F.contrib.interleaved_matmul_selfatt_valatt(qkv, weights, heads=self.heads)
        q, k, v = (F.transpose(part.reshape((0, 0, self.heads, -1)), axes=(1, 2, 0, 3))
                   .reshape((-3, 0, 0)) for part in F.split(qkv, num_outputs=3, axis=-1))
        scores = F.batch_dot(F.contrib.div_sqrt_dim(q), k, transpose_b=True)
        context = F.batch_dot(F.softmax(F.broadcast_add(scores, mask), axis=-1), v)
        return F.transpose(context.reshape((-4, -1, self.heads, 0, 0)),
                           axes=(2, 0, 1, 3)).reshape((0, 0, -3))

    def hybrid_forward(self, F, x, mask):
        x = self.norm1(x + self.proj(self.attention(F, x, mask)))
        return self.norm2(x + self.ffn(x))


class BERT(HybridBlock):
    """Word, token-type and position embeddings (positions from arange_like), a length mask,
    two encoder layers, the sequence output and the tanh pooler of the first token."""

    def __init__(self, vocab=30, units=16, heads=2, hidden=32, max_length=16, **kwargs):
        super().__init__(**kwargs)
        self.heads = heads
        self.word_embed = nn.Embedding(vocab, units)
        self.token_type_embed = nn.Embedding(2, units)
        self.position_embed = nn.Embedding(max_length, units)
        self.embed_norm = nn.LayerNorm(epsilon=1e-12)
        self.layers = nn.HybridSequential(prefix='')
        for interleaved in (True, False):
            self.layers.add(EncoderLayer(units, heads, hidden, interleaved))
        self.pooler = nn.Dense(units, activation='tanh', flatten=False)

    def hybrid_forward(self, F, words, token_types, valid_length):
        steps = F.contrib.arange_like(words, axis=1)
        x = self.word_embed(words) + self.token_type_embed(token_types)
        x = F.broadcast_add(x, self.position_embed(steps).expand_dims(axis=0))
        x = F.transpose(self.embed_norm(x), axes=(1, 0, 2))
        valid = F.broadcast_lesser(steps.reshape((1, -1)), valid_length.reshape((-1, 1)))
        mask = F.repeat((valid - 1).expand_dims(axis=1) * 10000, repeats=self.heads, axis=0)
        for layer in self.layers:
            x = layer(x, mask)
        sequence = F.transpose(x, axes=(1, 0, 2))
        first = F.slice_axis(sequence, axis=1, begin=0, end=1).reshape((0, -1))
        return sequence, self.pooler(first)


class FusedLanguageModel(HybridBlock):
    """GluonNLP's StandardRNN: Embedding, a fused multi-layer RNN layer, tied-free decoder;
    with ``stateful``, the begin states are inputs and the end states outputs."""

    def __init__(self, mode, vocab=20, embed=8, hidden=8, layers=2, stateful=False, **kwargs):
        super().__init__(**kwargs)
        self.stateful = stateful
        layer = {'lstm': rnn.LSTM, 'gru': rnn.GRU}[mode]
        with self.name_scope():
            self.embedding = nn.Embedding(vocab, embed)
            self.encoder = layer(hidden, num_layers=layers, dropout=0.0, input_size=embed)
            self.decoder = nn.Dense(vocab, flatten=False, in_units=hidden)

    def hybrid_forward(self, F, words, *states):
        embedded = self.embedding(words)
        if not self.stateful:
            return self.decoder(self.encoder(embedded))
        output, states = self.encoder(embedded, list(states))
        return (self.decoder(output),) + tuple(states)


class UnrolledLanguageModel(HybridBlock):
    """An unrolled LSTMCell or GRUCell (layout NTC) whose begin states ``unroll`` makes with
    ``begin_state``: in a hybridized graph, ``_zeros`` of shape (0, hidden)."""

    def __init__(self, mode, length, vocab=20, embed=8, hidden=8, **kwargs):
        super().__init__(**kwargs)
        self.length = length
        self.embedding = nn.Embedding(vocab, embed)
        self.cell = {'lstm': rnn.LSTMCell, 'gru': rnn.GRUCell}[mode](hidden, input_size=embed)
        self.decoder = nn.Dense(vocab, flatten=False)

    def hybrid_forward(self, F, words):
        outputs, _ = self.cell.unroll(self.length, self.embedding(words), layout='NTC',
                                      merge_outputs=True)
        return self.decoder(outputs)


# ---------------------------------------------------------------------------- Gluon's layers

class LayerZoo(HybridBlock):
    """Gluon's other layers in one network: ReflectionPad2D, InstanceNorm, GroupNorm,
    HybridConcurrent branches (contrib), PixelShuffle2D, the activation layers (ELU, SELU,
    Swish, GELU, LeakyReLU), Conv1D / Conv1DTranspose / Conv3D with their poolings."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.image = nn.HybridSequential()
            self.image.add(nn.ReflectionPad2D(1), nn.Conv2D(8, 3), nn.InstanceNorm(), nn.ELU(),
                           nn.Conv2D(8, 3, padding=1), nn.GroupNorm(num_groups=2), nn.SELU())
            self.branches = contrib_nn.HybridConcurrent(axis=1)
            self.branches.add(nn.Conv2D(4, 1), nn.Conv2D(4, 3, padding=1, activation='tanh'),
                              contrib_nn.Identity())
            self.shuffle = nn.HybridSequential()
            self.shuffle.add(nn.Conv2D(8, 1), contrib_nn.PixelShuffle2D(2), nn.Swish(),
                             nn.MaxPool2D(3, 2, 1), nn.AvgPool2D(2, count_include_pad=False),
                             nn.GlobalMaxPool2D(), nn.Flatten())
            self.sequence = nn.HybridSequential()
            self.sequence.add(nn.Conv1D(6, 3, padding=1, dilation=1), nn.Swish(beta=2.0),
                              nn.MaxPool1D(2), nn.Conv1DTranspose(4, 2, strides=2), nn.GELU(),
                              nn.AvgPool1D(2), nn.GlobalAvgPool1D(), nn.Flatten())
            self.volume = nn.HybridSequential()
            self.volume.add(nn.Conv3D(4, 3, padding=1), nn.LeakyReLU(0.1), nn.MaxPool3D(2),
                            nn.Conv3DTranspose(2, 2, strides=2), nn.GlobalAvgPool3D(),
                            nn.Flatten())
            self.output = nn.Dense(5)

    def hybrid_forward(self, F, image, sequence, volume):
        features = self.shuffle(self.branches(self.image(image)))
        return self.output(F.concat(features, self.sequence(sequence), self.volume(volume),
                                    dim=1))


# ---------------------------------------------------------------------------- NumPy mode

class NumpyModeNet(HybridBlock):
    """A block written in MXNet's NumPy mode (``npx.set_np()``): convolution features and an
    attention over embeddings combined with ``F.np`` functions, so the export holds ``_np_*``,
    ``_npi_*`` and ``_npx_*`` nodes."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential()
            self.features.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation('relu'),
                              nn.MaxPool2D(), nn.Conv2D(4, 3, padding=1, activation='sigmoid'),
                              nn.GlobalAvgPool2D(), nn.Flatten())
            self.embed = nn.Embedding(10, 4)
            self.norm = nn.LayerNorm()
            self.keys = nn.Dense(4, flatten=False)
            self.output = nn.Dense(6)

    def hybrid_forward(self, F, x, words):
        features = self.features(x)
        embedded = self.norm(self.embed(words))
        scores = F.np.matmul(embedded, F.np.swapaxes(self.keys(embedded), 1, 2))
        weights = F.npx.softmax(scores / F.np.sqrt(4.0), axis=-1)
        attended = F.np.max(F.np.matmul(weights, embedded), axis=1)
        z = F.np.concatenate([features, attended, F.np.exp(-F.np.abs(features))], axis=-1)
        z = self.output(F.np.tanh(z) * 2 + 1 - z / 3)
        z = F.np.stack([z, F.np.log(F.np.clip(z, 0.1, None)),
                        F.np.where(z > 0, z, F.np.zeros_like(z))], axis=1)
        first, second = F.np.split(z, 2, axis=-1)
        return (F.np.sum(first * second, axis=0),
                F.np.mean(z.reshape(2, -1), axis=1, keepdims=True),
                F.np.squeeze(F.np.expand_dims(z, 0), axis=0).transpose(2, 0, 1),
                F.npx.relu(F.np.subtract(first, second)) ** 2)


class NumpyModeAttention(HybridBlock):
    """NumPy-mode attention as GluonNLP's NumPy-mode code writes it: heads split and merged with
    ``npx.reshape`` shape codes, ``np.einsum`` scores, ``npx.sequence_mask``, and further
    ``np`` functions (cumsum, var and std, tile, repeat, linalg.norm, argmax, pick, one_hot,
    take, dot, broadcast_to)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.qkv = nn.Dense(12, flatten=False)

    def hybrid_forward(self, F, x, valid_length):
        q, k, v = (F.npx.reshape(part, (-2, -2, 2, -1))
                   for part in F.np.split(self.qkv(x), 3, axis=-1))
        weights = F.npx.softmax(F.np.einsum('bthd,bshd->bhts', q, k), axis=-1)
        attended = F.npx.reshape(F.np.einsum('bhts,bshd->bthd', weights, v), (-2, -2, -1))
        y = F.np.swapaxes(F.npx.sequence_mask(F.np.swapaxes(attended, 0, 1),
                                              sequence_length=valid_length,
                                              use_sequence_length=True), 0, 1)
        z = F.np.cumsum(y, axis=1) + F.np.ones_like(y) * F.np.var(y, axis=-1, keepdims=True)
        z = F.np.tile(F.np.maximum(z, 0.1), (1, 1, 2)) - F.np.repeat(y, 2, axis=-1)
        norms = F.np.linalg.norm(z, axis=-1)
        picked = F.npx.pick(z, F.np.argmax(z, axis=-1), axis=-1)
        first = F.np.squeeze(F.np.take(z, F.np.zeros((1,), dtype='int32'), axis=1), axis=1)
        products = F.np.dot(first, F.np.transpose(z[:, 0, :]))
        scaled = F.np.broadcast_to(F.np.sqrt(F.np.square(norms)).reshape(-1, 1, 3), (2, 2, 3))
        return (norms + picked, F.npx.one_hot(F.np.argmax(y, axis=-1), 4), products,
                F.npx.log_softmax(scaled, axis=-1), F.np.std(z) * F.np.minimum(F.np.max(z), 3.0))


# ---------------------------------------------------------------------------- symbol API

def mlp_symbol():
    data = mx.sym.Variable('data')
    net = mx.sym.Activation(mx.sym.FullyConnected(data, num_hidden=16, name='fc1'),
                            act_type='relu', name='relu1')
    net = mx.sym.FullyConnected(net, num_hidden=5, name='fc2')
    return mx.sym.SoftmaxOutput(net, name='softmax')


def lenet_symbol():
    net = mx.sym.Variable('data')
    for i, (filters, kernel) in enumerate([(4, 5), (8, 3)]):
        net = mx.sym.Convolution(net, kernel=(kernel, kernel), num_filter=filters,
                                 name='conv%d' % i)
        net = mx.sym.Activation(net, act_type='tanh')
        net = mx.sym.Pooling(net, pool_type='max', kernel=(2, 2), stride=(2, 2))
    net = mx.sym.Activation(mx.sym.FullyConnected(mx.sym.flatten(net), num_hidden=16),
                            act_type='tanh')
    return mx.sym.SoftmaxOutput(mx.sym.FullyConnected(net, num_hidden=5), name='softmax')


def residual_regression_symbol():
    """Conv-BN-ReLU with a residual unit, global pooling and a LinearRegressionOutput."""
    data = mx.sym.Variable('data')

    def conv_bn(x, name, act=True):
        x = mx.sym.Convolution(x, kernel=(3, 3), pad=(1, 1), num_filter=8, no_bias=True,
                               name=name + '_conv')
        x = mx.sym.BatchNorm(x, fix_gamma=False, eps=2e-5, name=name + '_bn')
        return mx.sym.Activation(x, act_type='relu', name=name + '_relu') if act else x

    stem = conv_bn(data, 'stem')
    unit = mx.sym.Activation(conv_bn(conv_bn(stem, 'unit1'), 'unit2', act=False) + stem,
                             act_type='relu')
    pooled = mx.sym.Pooling(unit, global_pool=True, pool_type='avg', kernel=(1, 1))
    out = mx.sym.FullyConnected(mx.sym.flatten(pooled), num_hidden=3, name='fc')
    return mx.sym.LinearRegressionOutput(out, name='lro')


# ---------------------------------------------------------------------------- the corpus

def resnet(version, block, layers, channels, **kwargs):
    cls = {1: vision.ResNetV1, 2: vision.ResNetV2}[version]
    blocks = {1: (vision.BasicBlockV1, vision.BottleneckV1),
              2: (vision.BasicBlockV2, vision.BottleneckV2)}[version]
    return cls(blocks[block == 'bottleneck'], layers, channels, classes=10, **kwargs)


RESNETS = {18: ('basic', [2, 2, 2, 2]), 34: ('basic', [3, 4, 6, 3]),
           50: ('bottleneck', [3, 4, 6, 3]), 101: ('bottleneck', [3, 4, 23, 3]),
           152: ('bottleneck', [3, 8, 36, 3])}
# How a model's outputs are compared where elementwise rtol 1e-4 / atol 1e-5 is not the right
# test: by the relative norm of the difference, with the reason. (The deep float32 networks
# need none: with BatchNorm scales below 1 their outputs stay within 2e-6 of MXNet's.)
BFLOAT16 = {'relative_norm': 1e-2,
            'why': 'bfloat16 results (8-bit mantissa, one rounding is up to 0.4%) rounded at '
                   'different points by oneDNN and XLA'}


def gluon_models():
    """(name, block, inputs, options): options may say ``grads`` (record a training step),
    ``compare`` (a relative-norm tolerance with its reason), ``amp`` (convert first)."""
    models = []
    for depth, (block, layers) in RESNETS.items():
        channels = [8, 8, 12, 16, 24] if block == 'basic' else [4, 8, 12, 16, 24]
        for version in (1, 2):
            models.append(('resnet%d_v%d' % (depth, version),
                           resnet(version, block, layers, channels), [image(2, 32)], {}))
    # Recorded training steps take inputs for which every BatchNorm normalizes over more than
    # two values: over two, its output is +-1 up to eps, and output and gradients are
    # cancellations of nearly equal terms.
    models.append(('resnet18_v1_train', resnet(1, 'basic', [2, 2, 2, 2], [8, 8, 12, 16, 24]),
                   [image(2, 64)], {'grads': True}))
    models += [
        ('resnext50_4x4d', StagedNet(lambda c, s, downsample: ResNeXtBlock(
            c, 4, 16, s, downsample), [3, 4, 6, 3], [8, 4, 8, 8, 16]),
         [image(2, 32)], {}),
        ('se_resnet18_v1', StagedNet(SEBasicBlockV1, [2, 2, 2, 2], [8, 8, 8, 16, 16]),
         [image(2, 32)], {}),
        ('mobilenet0_25', vision.MobileNet(multiplier=0.25, classes=10), [image(2, 32)], {}),
        ('mobilenet_v2_0_25', vision.MobileNetV2(multiplier=0.25, classes=10), [image(2, 32)],
         {}),
        ('mobilenet_v3_small', MobileNetV3Small(), [image(2, 32)], {}),
        ('densenet121', vision.DenseNet(8, 4, [6, 12, 24, 16], bn_size=2, classes=10),
         [image(1, 224)], {}),
    ]
    with narrowed(8):
        models += [(name, vision.SqueezeNet(version, classes=10), [image(1, 224)], {})
                   for name, version in (('squeezenet1_0', '1.0'), ('squeezenet1_1', '1.1'))]
    with narrowed(64):
        models += [
            ('vgg11', vision.VGG([1, 1, 2, 2, 2], [4, 8, 8, 8, 8], classes=10), [image(2, 32)],
             {}),
            ('vgg16_bn', vision.VGG([2, 2, 3, 3, 3], [4, 8, 8, 8, 8], classes=10,
                                    batch_norm=True), [image(2, 32)], {}),
            ('alexnet', vision.AlexNet(classes=10), [image(2, 64)], {}),
        ]
    with narrowed(16):
        models.append(('inception_v3', vision.Inception3(classes=10), [image(1, 299)],
                       {}))
    models += [
        # Four images: BatchNorm after the Dense layer normalizes over the batch alone.
        ('arcface_r18', ArcFaceResNet(), [image(4, 32)], {'grads': True}),
        ('ssd_tiny', SSD(), [image(2, 32)], {}),
        ('yolo3_tiny', YOLOHead(), [image(2, 32)], {}),
        ('fcn_tiny', FCN(), [image(2, 32, 24)], {'grads': True}),
        ('simple_pose', SimplePose(), [image(2, 32, 24)], {}),
        ('bert_tiny', BERT(), [tokens(2, 7, 30), tokens(2, 7, 2),
                               np.array([7, 4], dtype='float32')], {'grads': True}),
        ('lstm_lm_fused', FusedLanguageModel('lstm', stateful=True),
         [tokens(5, 2, 20), grid(2, 2, 8), grid(2, 2, 8)], {'grads': True}),
        ('gru_lm_fused', FusedLanguageModel('gru'), [tokens(5, 2, 20)], {}),
        ('lstm_lm_unrolled', UnrolledLanguageModel('lstm', 6), [tokens(2, 6, 20)],
         {'grads': True}),
        ('gru_lm_unrolled', UnrolledLanguageModel('gru', 6), [tokens(2, 6, 20)], {}),
        ('resnet18_v1_amp_bf16', resnet(1, 'basic', [2, 2, 2, 2], [8, 8, 12, 16, 24]),
         [image(2, 32)], {'amp': 'bfloat16', 'compare': BFLOAT16}),
        ('faster_rcnn_tiny', FasterRCNN(), [image(1, 32), np.array([[32, 32, 1]], 'float32')],
         {}),
        ('deeplab_aspp_tiny', DeepLabASPP(), [image(2, 32, 24)], {}),
        ('transformer_decoder_cell', TransformerDecoderCell(),
         [grid(5, 2, 16), grid(6, 2, 16), np.array([6, 3], 'float32')], {'grads': True}),
        # No training step: MXNet's oneDNN pooling stops the process (SIGFPE) in this backward.
        ('gluon_layer_zoo', LayerZoo(prefix='layerzoo_'),
         [image(2, 8), grid(2, 3, 8), grid(2, 2, 4, 4, 4)], {}),
    ]
    return models


def module_models():
    """(name, symbol, inputs including labels)."""
    return [
        ('mlp_module', mlp_symbol(), {'data': grid(4, 20),
                                      'softmax_label': np.array([0, 3, 1, 4], 'float32')}),
        ('lenet_module', lenet_symbol(), {'data': grid(2, 1, 16, 16),
                                          'softmax_label': np.array([2, 0], 'float32')}),
        ('residual_regression_module', residual_regression_symbol(),
         {'data': image(2, 8), 'lro_label': grid(2, 3)}),
    ]


def export_gluon(name, net, inputs, options):
    array = mx.np.array if is_np_array() else mx.nd.array
    xs = [array(x) for x in inputs]
    net.initialize()
    net(*xs)
    for param_name, param in sorted(net.collect_params().items()):
        param.set_data(array(parameter_values(param_name, param.shape)))
    net.hybridize()
    outputs = net(*xs)
    if options.get('amp'):
        net = amp.convert_hybrid_block(net, target_dtype=options['amp'], ctx=mx.cpu())
        net.hybridize()
        outputs = net(*xs)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    prefix = os.path.join(HERE, name)
    net.export(prefix, epoch=0, remove_amp_cast=False)
    input_names = ['data'] if len(inputs) == 1 else ['data%d' % i for i in range(len(inputs))]
    return input_names, outputs


def save_module(name, symbol, inputs):
    """Bind a Module, give it the corpus's parameter values, save its checkpoint."""
    label_names = [n for n in inputs if n != 'data']
    module = mx.mod.Module(symbol, data_names=['data'], label_names=label_names)
    module.bind(data_shapes=[('data', inputs['data'].shape)],
                label_shapes=[(n, inputs[n].shape) for n in label_names], for_training=False)
    arg_shapes, _, aux_shapes = symbol.infer_shape(**{n: v.shape for n, v in inputs.items()})
    args = {n: mx.nd.array(parameter_values(n, s)) for n, s in
            zip(symbol.list_arguments(), arg_shapes) if n not in inputs}
    aux = {n: mx.nd.array(parameter_values(n, s)) for n, s in
           zip(symbol.list_auxiliary_states(), aux_shapes)}
    module.init_params(arg_params=args, aux_params=aux)
    module.save_checkpoint(os.path.join(HERE, name), 0)
    module.forward(mx.io.DataBatch([mx.nd.array(inputs['data'])],
                                   [mx.nd.array(inputs[n]) for n in label_names]),
                   is_train=False)
    return module.get_outputs()


def training_step(prefix, inputs, loss):
    """A training forward and backward of the saved symbol: outputs, head gradients (for
    graphs not ending in a loss layer) and every parameter's gradient."""
    symbol, args, aux = mx.model.load_checkpoint(prefix, 0)
    shapes = {n: v.shape for n, v in inputs.items()}
    exe = symbol.simple_bind(mx.cpu(), grad_req={n: 'null' if n in inputs else 'write'
                                                 for n in symbol.list_arguments()}, **shapes)
    exe.copy_params_from(args, aux)
    outputs = exe.forward(is_train=True, **{n: mx.nd.array(v) for n, v in inputs.items()})
    record = {'train_output%d' % i: out.asnumpy() for i, out in enumerate(outputs)}
    if loss:
        exe.backward()
    else:
        head_grads = [(RNG.randint(-8, 9, out.shape) / 8.0).astype(out.dtype) for out in outputs]
        record.update(('head_grad%d' % i, g) for i, g in enumerate(head_grads))
        exe.backward([mx.nd.array(g, dtype=g.dtype) for g in head_grads])
    record.update(('grad:' + n, g.asnumpy()) for n, g in exe.grad_dict.items() if g is not None)
    return record


def numpy_mode_models():
    """(name, block factory, inputs, options), built and exported in NumPy mode after the
    others; each block names itself and its children, so models added before leave these
    names alone."""
    return [
        ('numpy_mode_net', lambda: NumpyModeNet(prefix='numpymodenet_'),
         [image(2, 8), tokens(2, 3, 10)], {'grads': True}),
        ('numpy_mode_resnet18_v1', lambda: resnet(1, 'basic', [2, 2, 2, 2], [8, 8, 12, 16, 24],
                                                  prefix='resnetv1_'),
         [image(2, 64)], {}),
        # Without states given, MXNet's NumPy-shape mode cannot bind the zeros it begins with.
        ('numpy_mode_lstm', lambda: FusedLanguageModel('lstm', stateful=True,
                                                       prefix='languagemodel_'),
         [tokens(5, 2, 20), grid(2, 2, 8), grid(2, 2, 8)], {}),
        ('numpy_mode_attention', lambda: NumpyModeAttention(prefix='attention_'),
         [grid(2, 3, 4), np.array([3, 2], 'float32')], {'grads': True}),
    ]


def record_gluon(name, net, inputs, options):
    """Export the block, record its outputs (and a training step), return its manifest entry."""
    inputs = drawn(name, inputs)
    input_names, outputs = export_gluon(name, net, inputs, options)
    named = dict(zip(input_names, inputs))
    record = {'output%d' % i: out.asnumpy() for i, out in enumerate(outputs)}
    if options.get('grads'):
        record.update(training_step(os.path.join(HERE, name), named, loss=False))
    save_record(name, named, record)
    return dict(kind='gluon', inputs=input_names, compare=options.get('compare'),
                grads=bool(options.get('grads')), loss=False, numpy_mode=is_np_array())


def main():
    os.makedirs(HERE, exist_ok=True)
    manifest = {}
    modules = module_models()
    for name, net, inputs, options in gluon_models():
        manifest[name] = record_gluon(name, net, inputs, options)
    for name, symbol, inputs in modules:
        inputs = dict(zip(inputs, drawn(name, inputs.values())))
        outputs = save_module(name, symbol, inputs)
        record = {'output%d' % i: out.asnumpy() for i, out in enumerate(outputs)}
        record.update(training_step(os.path.join(HERE, name), inputs, loss=True))
        manifest[name] = dict(kind='module', inputs=list(inputs), compare=None, grads=True,
                              loss=True, numpy_mode=False)
        save_record(name, inputs, record)
    npx.set_np()
    for name, make, inputs, options in numpy_mode_models():
        manifest[name] = record_gluon(name, make(), inputs, options)
    npx.reset_np()
    with open(os.path.join(HERE, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1, sort_keys=True)


def save_record(name, inputs, record):
    """The record, with the inputs and MXNet's ``tojson()`` of the loaded file (which leaves
    out AMP casts)."""
    record.update(('input:' + n, v) for n, v in inputs.items())
    record['tojson'] = np.array(mx.sym.load(os.path.join(HERE, name + '-symbol.json')).tojson())
    np.savez_compressed(os.path.join(HERE, name + '.npz'), **record)
    print(name, {k: v.shape for k, v in record.items() if not k.startswith('grad:')})


if __name__ == '__main__':
    main()
