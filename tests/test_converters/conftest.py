"""Fixtures of the converter tests. They run single-threaded: the tensors
are tiny and parallel regions only add overhead (a lot of it on a busy
machine)."""
import pytest
import torch
from stylegan2_fakes import make_generator


@pytest.fixture(autouse=True)
def _single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def generator():
    return make_generator()
