# The IN² quick model on the evaluation protocol (synthetic faces): the
# quick config with its test set swapped for the protocol's ideal 512x512
# setting; tools/compare.py runs it over every setting.
_base_ = [
    './in2_quick_synthetic-faces.py',
    '../_base_/datasets/protocol_synthetic-faces.py',
]
test_dataloader = {{_base_.protocol.dataloader}}
test_evaluator = {{_base_.protocol.evaluator}}
