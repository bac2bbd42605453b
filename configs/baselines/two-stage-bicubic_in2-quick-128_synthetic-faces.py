# The two-stage baseline with the IN² quick model inside: every image is
# resized to the 128x128 square the quick model was trained around (crops
# of 64-128 px), inpainted there, resized back with bicubic interpolation
# and composited with the known pixels at full resolution. This is the
# pipeline of a square-trained method on real-world sizes (512x512 for
# paper-scale models; set size=512 and a paper-scale checkpoint for that).
#
# The inner weights come from the quick run's checkpoint (a path relative to
# the directory tools run from, the repository root; train it first:
# python tools/train.py configs/in2/in2_quick_synthetic-faces.py).
_base_ = [
    '../in2/in2_quick_synthetic-faces.py',
    '../_base_/datasets/protocol_synthetic-faces.py',
]
model = dict(
    _delete_=True,
    type='TwoStageInpaintor',
    inpaintor={{_base_.model}},
    checkpoint='work_dirs/in2_quick_synthetic-faces/iter_600.pth',
    size=128,
    upsampler='bicubic')
test_dataloader = {{_base_.protocol.dataloader}}
test_evaluator = {{_base_.protocol.evaluator}}
