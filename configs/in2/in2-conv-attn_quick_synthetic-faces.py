# Ablation: neighborhood attention replaced by a depthwise-separable conv
# mixer of the same kernel size inside every NHAB.
_base_ = ['./in2_quick_synthetic-faces.py']

model = dict(
    generator=dict(bottleneck=dict(attn=dict(type='ConvMixer2d'))))
