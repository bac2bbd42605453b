from .in2_inpaintor import IN2Inpaintor
from .inversion_inpaintor import InversionInpaintor
from .one_stage_inpaintor import OneStageInpaintor

__all__ = ['IN2Inpaintor', 'InversionInpaintor', 'OneStageInpaintor']
