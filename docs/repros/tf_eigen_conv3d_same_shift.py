"""TF 2.21, Eigen CPU kernels (TF_ENABLE_ONEDNN_OPTS=0): Conv3D with SAME padding and a stride
larger than the kernel shifts the window. SAME: out = ceil(in / stride), total padding
max(0, (out-1)*stride + k - in), split low = total // 2. With in 3, stride 3, k 1 the padding is 0
and the one window starts at element 0. Run with and without TF_ENABLE_ONEDNN_OPTS=0.
"""
import os, numpy as np, tensorflow as tf
print('tensorflow', tf.__version__, 'TF_ENABLE_ONEDNN_OPTS =', os.environ.get('TF_ENABLE_ONEDNN_OPTS', '(unset)'))
x = np.array([0, 1, 0], np.float32).reshape([1, 3, 1, 1, 1]); w = np.array([-1], np.float32).reshape([1, 1, 1, 1, 1])
print('conv3d x=[0,1,0] depth 3, w=[-1], strides depth 3, SAME:', tf.nn.conv3d(x, w, strides=[1, 3, 1, 1, 1], padding='SAME').numpy().ravel(), '(right: [0], in 3, out 1, total padding max(0, 1 - 3) = 0)')
x = np.arange(1, 7, dtype=np.float32).reshape([1, 2, 1, 3, 1]); w = np.array([1, 2], np.float32).reshape([2, 1, 1, 1, 1])
print('conv3d x=1..6 [1,2,1,3,1], w=[1,2] [2,1,1,1,1], strides [1,1,1,3,1], SAME:', tf.nn.conv3d(x, w, strides=[1, 1, 1, 3, 1], padding='SAME').numpy().ravel(), '(right: [9, 4])')
x2 = np.array([0, 1, 0], np.float32).reshape([1, 3, 1, 1]); w2 = np.array([-1], np.float32).reshape([1, 1, 1, 1])
print('conv2d same geometry:', tf.nn.conv2d(x2, w2, strides=[1, 3, 1, 1], padding='SAME').numpy().ravel())
