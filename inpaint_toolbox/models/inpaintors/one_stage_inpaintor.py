"""A GAN inpaintor with one generator: the base IN2 and the baseline use."""
import copy
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.logging import MessageHub
from mmengine.model import (BaseModel, ExponentialMovingAverage,
                            is_model_wrapper)
from mmengine.optim import OptimWrapperDict

from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample

ForwardResults = Union[Dict[str, torch.Tensor], List[InpaintDataSample],
                       torch.Tensor]


def _build_loss(cfg: Optional[dict]) -> Tuple[Optional[nn.Module], float]:
    """Build a loss from a config whose ``loss_weight`` stays with us."""
    if cfg is None:
        return None, 0.0
    cfg = copy.deepcopy(cfg)
    weight = float(cfg.pop('loss_weight', 1.0))
    return MODELS.build(cfg), weight


def _set_requires_grad(module: Optional[nn.Module], flag: bool) -> None:
    if module is not None:
        for p in module.parameters():
            p.requires_grad_(flag)


@MODELS.register_module()
class OneStageInpaintor(BaseModel):
    """Generator + optional discriminator, trained with LaMa-like losses.

    Training (``train_step``) runs, per iteration: the generator forward, a
    discriminator step on real images and detached composites (plus lazy R1),
    then a generator step (pixel, adversarial, feature-matching and
    perceptual terms), then the EMA update. Each step goes through its own
    optimizer wrapper of an ``OptimWrapperDict`` (keys ``generator`` and
    ``discriminator``) with the wrapper's ``optim_context`` and
    ``update_params``, so AMP and gradient accumulation work.

    Every loss config may carry ``loss_weight`` (default 1).

    Args:
        generator (dict): generator config; it takes ``(B, 4, H, W)`` and
            returns ``(B, 3, H', W')`` in [-1, 1], with ``size_divisor``.
        discriminator (dict, optional): e.g. ``PatchDiscriminator``.
        pixel_loss (dict, optional): e.g. ``MaskedL1Loss``.
        adv_loss (dict, optional): e.g. ``NonSaturatingGANLoss``.
        r1_loss (dict, optional): e.g. ``R1Penalty``.
        feature_matching_loss (dict, optional).
        perceptual_loss (dict, optional).
        ema (dict, optional): ``ExponentialMovingAverage`` kwargs, e.g.
            ``dict(momentum=0.001)``; None disables the EMA generator.
        data_preprocessor (dict): defaults to ``InpaintDataPreprocessor``
            with the generator's ``size_divisor``.
        test_cfg (dict, optional): ``use_ema`` (default True when an EMA
            exists) and ``scale`` (default 1.0).
        init_cfg (dict, optional).
    """

    def __init__(self,
                 generator: dict,
                 discriminator: Optional[dict] = None,
                 pixel_loss: Optional[dict] = None,
                 adv_loss: Optional[dict] = None,
                 r1_loss: Optional[dict] = None,
                 feature_matching_loss: Optional[dict] = None,
                 perceptual_loss: Optional[dict] = None,
                 ema: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        generator = MODELS.build(generator)
        if data_preprocessor is None:
            data_preprocessor = dict(
                type='InpaintDataPreprocessor',
                size_divisor=getattr(generator, 'size_divisor', 8))
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.generator = generator
        gen_div = getattr(generator, 'size_divisor', 1)
        pre_div = self.data_preprocessor.size_divisor
        if pre_div % gen_div:
            raise ValueError(
                f'data_preprocessor.size_divisor={pre_div} is not a multiple '
                f'of the generator size_divisor={gen_div}')
        self.discriminator = MODELS.build(discriminator) \
            if discriminator is not None else None
        self.pixel_loss, self.pixel_weight = _build_loss(pixel_loss)
        self.adv_loss, self.adv_weight = _build_loss(adv_loss)
        self.r1_loss, _ = _build_loss(r1_loss)
        self.fm_loss, self.fm_weight = _build_loss(feature_matching_loss)
        self.perceptual_loss, self.perceptual_weight = _build_loss(
            perceptual_loss)
        if self.perceptual_loss is not None and \
                not getattr(self.perceptual_loss, 'enabled', True):
            self.perceptual_loss = None
        needs_d = [n for n, v in (('adv_loss', self.adv_loss),
                                  ('r1_loss', self.r1_loss),
                                  ('feature_matching_loss', self.fm_loss))
                   if v is not None]
        if needs_d and self.discriminator is None:
            raise ValueError(f'{needs_d} need a discriminator, but '
                             'discriminator is None')
        self.generator_ema = ExponentialMovingAverage(
            self.generator, **ema) if ema is not None else None
        self.train_cfg = dict(train_cfg or {})
        self.test_cfg = dict(test_cfg or {})
        self._step = 0

    # ------------------------------------------------------------------ utils
    @property
    def size_divisor(self) -> int:
        return self.data_preprocessor.size_divisor

    def _current_iter(self) -> int:
        hub = MessageHub.get_current_instance()
        it = hub.get_info('iter')
        return self._step if it is None else int(it)

    def generate(self, inputs: dict, scale: float = 1.0,
                 use_ema: bool = False) -> torch.Tensor:
        """Run the (EMA) generator on preprocessed inputs.

        Returns:
            Tensor: ``(B, 3, round(Hp * scale), round(Wp * scale))``.
        """
        gen = self.generator_ema.module if (
            use_ema and self.generator_ema is not None) else self.generator
        img = inputs['img']
        if scale == 1.0:
            return gen(img)
        h, w = img.shape[-2:]
        return gen(img, out_size=(round(h * scale), round(w * scale)))

    @staticmethod
    def composite(pred: torch.Tensor, gt: torch.Tensor,
                  mask: torch.Tensor) -> torch.Tensor:
        """``gt * (1 - m) + pred * m``."""
        return gt * (1 - mask) + pred * mask

    # ------------------------------------------------------------- training
    def _d_logits(self, x: torch.Tensor):
        out = self.discriminator(x)
        return out if isinstance(out, tuple) else (out, [])

    def discriminator_losses(self, gt: torch.Tensor, fake: torch.Tensor,
                             step: int) -> Dict[str, torch.Tensor]:
        """Adversarial loss of D on real ``gt`` and detached ``fake``, plus
        the lazy R1 penalty when it is due."""
        losses = {}
        r1_due = self.r1_loss is not None and self.r1_loss.is_due(step)
        real = gt.detach().requires_grad_(r1_due)
        real_logits, _ = self._d_logits(real)
        fake_logits, _ = self._d_logits(fake.detach())
        if self.adv_loss is not None:
            losses['loss_d_real'] = self.adv_loss(real_logits, True)
            losses['loss_d_fake'] = self.adv_loss(fake_logits, False)
        if r1_due:
            losses['loss_r1'] = self.r1_loss(real_logits, real)
        return losses

    def generator_losses(self, pred: torch.Tensor, comp: torch.Tensor,
                         gt: torch.Tensor,
                         mask: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Pixel, adversarial, feature-matching and perceptual terms."""
        losses = {}
        if self.pixel_loss is not None:
            losses['loss_pixel'] = self.pixel_weight * self.pixel_loss(
                pred, gt, mask)
        if self.perceptual_loss is not None:
            losses['loss_perceptual'] = self.perceptual_weight * \
                self.perceptual_loss(pred, gt)
        if self.discriminator is not None and (self.adv_loss is not None
                                               or self.fm_loss is not None):
            fake_logits, fake_feats = self._d_logits(comp)
            if self.adv_loss is not None:
                losses['loss_g_adv'] = self.adv_weight * self.adv_loss(
                    fake_logits, True)
            if self.fm_loss is not None:
                with torch.no_grad():
                    _, real_feats = self._d_logits(gt)
                losses['loss_fm'] = self.fm_weight * self.fm_loss(
                    fake_feats, real_feats)
        return losses

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        """One iteration: D step, then G step, then EMA.

        Args:
            data: a batch from the dataloader.
            optim_wrapper: with keys ``generator`` (and ``discriminator``
                when the model has one).

        Returns:
            dict: the logged losses.
        """
        data = self.data_preprocessor(data, True)
        inputs = data['inputs']
        gt, mask = inputs['gt'], inputs['mask']
        step = self._current_iter()
        g_wrapper = optim_wrapper['generator']
        log_vars = {}

        with g_wrapper.optim_context(self.generator):
            if gt.shape[-2:] == inputs['img'].shape[-2:]:
                pred = self.generator(inputs['img'])
            else:  # scale > 1: ask for the target's grid
                pred = self.generator(
                    inputs['img'], out_size=tuple(gt.shape[-2:]))
        if pred.shape != gt.shape:
            raise RuntimeError(
                f'generator returned {tuple(pred.shape)} for targets '
                f'{tuple(gt.shape)}')
        comp = self.composite(pred, gt, mask)

        if self.discriminator is not None:
            d_wrapper = optim_wrapper['discriminator']
            with d_wrapper.optim_context(self.discriminator):
                d_losses = self.discriminator_losses(gt, comp, step)
            if d_losses:
                d_loss, d_log = self.parse_losses(d_losses)
                d_wrapper.update_params(d_loss)
                log_vars.update(d_log)
                log_vars.pop('loss', None)
                log_vars['loss_d'] = d_log['loss']

        _set_requires_grad(self.discriminator, False)
        try:
            with g_wrapper.optim_context(self.generator):
                g_losses = self.generator_losses(pred, comp, gt, mask)
            g_loss, g_log = self.parse_losses(g_losses)
            g_wrapper.update_params(g_loss)
        finally:
            _set_requires_grad(self.discriminator, True)
        g_log['loss_g'] = g_log.pop('loss')
        log_vars.update(g_log)

        if self.generator_ema is not None:
            gen = self.generator.module if is_model_wrapper(
                self.generator) else self.generator
            self.generator_ema.update_parameters(gen)
        self._step = step + 1
        return log_vars

    # ------------------------------------------------------------- inference
    def forward(self,
                inputs: dict,
                data_samples: Optional[Sequence[InpaintDataSample]] = None,
                mode: str = 'tensor') -> ForwardResults:
        """``mode='tensor'``: raw generator output ``(B, 3, Hp, Wp)``;
        ``mode='predict'``: data samples with ``pred_img`` and ``output``.
        Training goes through :meth:`train_step`."""
        if mode == 'tensor':
            return self.generator(inputs['img'])
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f'mode must be "tensor" or "predict", got "{mode}" '
                         '(training runs through train_step)')

    def predict(self, inputs: dict,
                data_samples: Sequence[InpaintDataSample],
                scale: Optional[float] = None) -> List[InpaintDataSample]:
        """Inpaint a preprocessed batch.

        Each returned sample has ``pred_img`` (raw output) and ``output``:
        the composite ``gt * (1 - m) + pred * m`` at scale 1 (known pixels
        exactly the input's), and the raw output at other scales, where no
        known pixel exists at the output resolution. Both ``(3, H', W')``
        floats in [0, 255], cropped back to each sample's size.
        """
        if scale is None:
            scale = inputs.get('scale', self.test_cfg.get('scale', 1.0))
        scale = float(scale)
        use_ema = self.test_cfg.get('use_ema', True)
        with torch.no_grad():
            pred = self.generate(inputs, scale=scale, use_ema=use_ema)
        preds = self.data_preprocessor.postprocess(pred, data_samples, scale)
        out = []
        for p, sample in zip(preds, data_samples):
            sample.pred_img = p
            if scale == 1.0:
                gt = sample.gt_img.to(p.device).float()
                m = sample.mask.to(p.device).float()
                sample.output = gt * (1 - m) + p * m
            else:
                sample.output = p
            out.append(sample)
        return out
