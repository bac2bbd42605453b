from .one_stage_inpaintor import OneStageInpaintor

__all__ = ['OneStageInpaintor']
