# OpenCV's Navier-Stokes inpainting (Bertalmio et al. 2001) on the
# synthetic-face protocol. No parameters: runs without a checkpoint.
_base_ = ['./opencv-telea_protocol_synthetic-faces.py']
model = dict(method='ns')
