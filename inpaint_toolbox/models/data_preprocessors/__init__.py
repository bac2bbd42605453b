from .inpaint_data_preprocessor import InpaintDataPreprocessor

__all__ = ['InpaintDataPreprocessor']
