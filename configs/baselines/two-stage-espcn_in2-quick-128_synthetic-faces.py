# The two-stage baseline with a super-resolution network as second stage:
# IN² quick at 128x128, then ESPCN x4 (applied until the result is at least
# the input size, then bicubic to the exact size). ESPCN's last layer starts
# at zero, so without trained weights it reproduces bicubic upsampling; set
# upsampler_checkpoint to the weights of a trained ESPCN x4 (a state dict
# of the network, or of a model holding it as `upsampler.`).
_base_ = ['./two-stage-bicubic_in2-quick-128_synthetic-faces.py']
model = dict(
    upsampler=dict(
        _delete_=True, type='ESPCN', scale=4, mid_channels=(64, 32)),
    upsampler_checkpoint=None)
