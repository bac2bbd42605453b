# OpenCV's fast-marching inpainting (Telea 2004) on the synthetic-face
# protocol. No parameters: tools/test.py and tools/compare.py run it without
# a checkpoint.
_base_ = [
    '../_base_/datasets/protocol_synthetic-faces.py',
    '../_base_/default_runtime.py',
]
model = dict(type='OpenCVInpaintor', method='telea', radius=5)
test_dataloader = {{_base_.protocol.dataloader}}
test_evaluator = {{_base_.protocol.evaluator}}
test_cfg = dict(type='TestLoop')
custom_hooks = []
