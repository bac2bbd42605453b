"""Run these small-tensor tests single-threaded.

Multi-threaded kernels gain nothing on test-sized tensors and stall when
other processes share the cores; the previous setting is restored.
"""
import pytest
import torch


@pytest.fixture(autouse=True)
def single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
