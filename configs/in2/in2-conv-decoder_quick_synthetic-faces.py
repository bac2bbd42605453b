# Ablation: the implicit neural pyramid decoder replaced by a conv
# upsampling decoder with the same skips (scale != 1 resizes at the end).
_base_ = ['./in2_quick_synthetic-faces.py']

model = dict(
    generator=dict(
        decoder=dict(_delete_=True, type='ConvUpsampleDecoder',
                     level_channels=(48, 32, 16))))
