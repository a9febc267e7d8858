"""TF 2.21, oneDNN CPU kernels: a strided conv whose output has ONE position along the strided
axis, with a single input channel and a batch of 2 or more, returns uninitialised memory.

Seen on an AMD EPYC with AVX-512 (avx512f, avx512bw, avx512vl, avx512_vnni, avx512_bf16), Linux,
tensorflow-cpu 2.21.0. Run twice:
    python3 tf_onednn_strided_one_window.py                 # default: oneDNN on
    TF_ENABLE_ONEDNN_OPTS=0 python3 tf_onednn_strided_one_window.py   # Eigen: always right
The expected values are computed by hand below (and by a numpy loop) from the definition of a
SAME convolution: out = ceil(in / stride) = 1, total padding = max(0, (out-1)*stride + k - in).
"""
import os
import platform

import numpy as np
import tensorflow as tf

def flags():
    try:
        with open('/proc/cpuinfo') as f:
            line = next(l for l in f if l.startswith('flags'))
        return ' '.join(x for x in line.split() if x.startswith('avx512') or x == 'avx2')
    except (OSError, StopIteration):
        return '?'

print('tensorflow', tf.__version__, '| TF_ENABLE_ONEDNN_OPTS =', os.environ.get('TF_ENABLE_ONEDNN_OPTS', '(unset: oneDNN on)'))
print('cpu flags:', flags(), '|', platform.platform())

def report(name, got_fn, want, calls=5):
    try:
        outs = [got_fn().ravel() for _ in range(calls)]
    except tf.errors.InvalidArgumentError as e:
        print(f'\n{name}\n  refused: {e.message.splitlines()[0][:160]}')
        return
    bad = [i for i, o in enumerate(outs) if not np.array_equal(o, want)]
    print(f'\n{name}\n  expected {want.tolist()}')
    for i, o in enumerate(outs):
        print(f'  call {i + 1}: {o.tolist()}{"   <-- WRONG" if i in bad else ""}')
    print(f'  {len(bad)} of {calls} calls wrong')

# 1. conv2d, NHWC input [2,2,1,1] = 1..4 (batch 2, height 2, width 1, one channel),
#    filter [1,2,1,1] = [1,1], strides [1,2], SAME. Width: out = ceil(1/2) = 1, padding (0,1):
#    each output is the input element itself (times the first tap), so the answer is 1..4.
x = np.arange(1, 5, dtype=np.float32).reshape([2, 2, 1, 1])
w = np.ones([1, 2, 1, 1], np.float32)
report('conv2d x=1..4 [2,2,1,1], w=[1,1] [1,2,1,1], strides [1,2], SAME',
       lambda: tf.nn.conv2d(x, w, strides=[1, 2], padding='SAME').numpy(), np.arange(1, 5, dtype=np.float32))

# 2. All-zero input: any nonzero output is memory the kernel never wrote.
z = np.zeros([2, 1, 2, 1, 1], np.float32)
w3 = np.array([-3, -1], np.float32).reshape([1, 1, 2, 1, 1])
report('conv3d zeros [2,1,2,1,1], w=[-3,-1] [1,1,2,1,1], strides [1,1,1,2,1], SAME',
       lambda: tf.nn.conv3d(z, w3, strides=[1, 1, 1, 2, 1], padding='SAME').numpy(), np.zeros(4, np.float32))

# 3. depthwise_conv2d, same geometry as 1 with a channel multiplier of 2 (filter [1,2,1,2] of
#    ones): each input element twice. (TF's Eigen kernel refuses unequal strides; oneDNN accepts.)
wd = np.ones([1, 2, 1, 2], np.float32)
report('depthwise_conv2d x=1..4 [2,2,1,1], w=ones [1,2,1,2], strides [1,1,2,1], SAME',
       lambda: tf.nn.depthwise_conv2d(x, wd, strides=[1, 1, 2, 1], padding='SAME').numpy(), np.repeat(np.arange(1, 5, dtype=np.float32), 2))

# 4. VALID too: width 2, kernel 2, stride 3 gives one window.
x4 = np.arange(1, 9, dtype=np.float32).reshape([2, 2, 2, 1])
want4 = (x4[:, :, 0, 0] + x4[:, :, 1, 0]).ravel()
report('conv2d x=1..8 [2,2,2,1], w=[1,1] [1,2,1,1], strides [1,3], VALID',
       lambda: tf.nn.conv2d(x4, w, strides=[1, 3], padding='VALID').numpy(), want4)

# 5. conv3d needs no batch: NDHWC x [1,1,3,1,1] = [0,-1,0] (height 3), w [1,1,2,1,2] = [3,2,3,2],
#    strides [1,1,1,2,1], SAME: each output is x[h] * [3, 2].
x5 = np.array([0, -1, 0], np.float32).reshape([1, 1, 3, 1, 1])
w5 = np.array([3, 2, 3, 2], np.float32).reshape([1, 1, 2, 1, 2])
report('conv3d batch 1: x=[0,-1,0] [1,1,3,1,1], w=[3,2,3,2] [1,1,2,1,2], strides [1,1,1,2,1], SAME',
       lambda: tf.nn.conv3d(x5, w5, strides=[1, 1, 1, 2, 1], padding='SAME').numpy(), np.array([0, 0, -3, -2, 0, 0], np.float32))

# Control: the same call with batch 1 or two input channels is right.
report('control: batch 1, x=1..2 [1,2,1,1]',
       lambda: tf.nn.conv2d(x[:1], w, strides=[1, 2], padding='SAME').numpy(), np.arange(1, 3, dtype=np.float32))
x2 = np.repeat(x, 2, axis=3)
report('control: two input channels, x=1..4 repeated [2,2,1,2], w=ones [1,2,2,1]',
       lambda: tf.nn.conv2d(x2, np.ones([1, 2, 2, 1], np.float32), strides=[1, 2], padding='SAME').numpy(), 2 * np.arange(1, 5, dtype=np.float32))
