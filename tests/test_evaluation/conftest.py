import logging

import pytest
from mmengine.logging import MMLogger


@pytest.fixture
def mm_log_records():
    """Records logged through mmengine's current logger during a test."""
    logger = MMLogger.get_current_instance()
    records = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
