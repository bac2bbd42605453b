"""Run the GAN tests single-threaded: their tensors are tiny and parallel
regions only add overhead (a lot of it on a busy machine)."""
import pytest
import torch


@pytest.fixture(autouse=True)
def _single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
