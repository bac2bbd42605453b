"""Diverse face inpainting by GAN inversion (arXiv 2307.15033).

An encoder embeds the erased face (masked image + mask) into a frozen
StyleGAN2's W+ space; a mixer combines that code with a random mapped code,
so every random code gives another plausible filling; the generator draws
the result, and the known pixels are pasted back. Because the result is a
latent code, it can be edited with latent directions before drawing.

Training runs on generated data (stage 1): ``x = G(w)`` for a fresh
``w``, erased with the batch's masks. For each sample, with probability
``p`` the mixer gets the true ``w`` as its random input and the loss is a
full-image reconstruction (L2 + perceptual, optionally identity); otherwise
it gets a fresh random code, the reconstruction covers the known region
only, and an adversarial loss judges the whole output. Stage 2 adds a skip
path (:class:`~inpaint_toolbox.models.generators.StyleGAN2SkipFusion`)
that feeds higher-rate features of the input into the generator's feature
maps, initialized from a stage-1 checkpoint and trained with the same
losses, so that known pixels and colours come out faithfully.
"""
import copy
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmengine.dist import all_reduce_params, get_rank, get_world_size
from mmengine.logging import MessageHub, print_log
from mmengine.model import BaseModel, is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict

from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample
from .square_canvas import from_canvas, to_canvas
from .stylegan2_weights import load_generator_weights

__all__ = ['InversionInpaintor']

ADV_REAL = ('generated', 'data')


def _unwrap(module: nn.Module) -> nn.Module:
    return module.module if is_model_wrapper(module) else module


def _build_loss(cfg: Optional[dict]) -> Tuple[Optional[nn.Module], float]:
    """Build a loss whose ``loss_weight`` (default 1) stays with us."""
    if cfg is None:
        return None, 0.0
    cfg = copy.deepcopy(dict(cfg))
    weight = float(cfg.pop('loss_weight', 1.0))
    return MODELS.build(cfg), weight


def _fill(cfg: dict, what: str, **values) -> dict:
    """Set missing keys of a component config; check the given ones."""
    cfg = copy.deepcopy(dict(cfg))
    for key, value in values.items():
        if key not in cfg:
            cfg[key] = value
        elif cfg[key] != value:
            raise ValueError(f'{what}.{key}={cfg[key]!r} does not match the '
                             f'generator ({value!r})')
    return cfg


@MODELS.register_module()
class InversionInpaintor(BaseModel):
    """Encoder + mixer (+ skip path) around a frozen StyleGAN2 generator.

    **Generator weights.** ``generator`` configures the architecture and
    ``generator_ckpt`` names the weights: a converted file
    (``tools/convert_stylegan2.py``), a StyleGAN2GAN training checkpoint
    (``generator_ema.module.*``) or a plain state dict, see
    :func:`~inpaint_toolbox.models.inpaintors.stylegan2_weights.load_generator_weights`.
    Building the model does not read the file (configs build without it);
    it is read by :meth:`init_weights` (the runner calls it before
    ``load_from``) or, at the latest, by the first ``train_step`` /
    ``predict``. A missing file is a ``FileNotFoundError``, a resolution
    other than ``encoder.resolution`` a ``ValueError``. Checkpoints of this
    model hold the generator too (and a ``generator_loaded`` flag), so a
    trained model, or stage 2 initialized from stage 1 with ``init_cfg``,
    does not read ``generator_ckpt`` again. ``generator_ckpt=None`` keeps
    the generator's initial weights, with a warning (tests only).

    The generator never trains: its parameters have ``requires_grad=False``
    and it stays in eval mode (``w_avg`` is not updated).

    **Optimizers.** ``optim_wrapper`` keys: ``inverter`` (the encoder, the
    mixer and, in stage 2, the skip path: ``inverter.encoder``,
    ``inverter.mixer``, ``inverter.skip_fusion``; use ``paramwise_cfg``
    ``custom_keys`` for per-part learning rates) and ``discriminator``.

    **Training batches.** The runner's batches provide the masks (and, with
    ``train_cfg.adv_real='data'``, the discriminator's real images): any
    dataset at the generator's resolution whose pipeline draws masks, e.g.
    synthetic faces at ``R x R``. The images to inpaint are generated.

    **Inference** (:meth:`predict`) works on any image size: each image is
    erased, scaled by ``R / max(h, w)`` (aspect ratio kept) and centred on
    an ``R x R`` canvas whose border counts as hole; the generator's output
    is cropped back and resized to ``h x w``, and the composite keeps every
    known pixel of the original image at its original resolution.

    Args:
        generator: ``StyleGAN2Generator`` config.
        encoder: ``InversionEncoder`` config; ``resolution`` must be given
            and equal ``generator.img_resolution``; ``w_dim``/``n_latent``
            default to the generator's.
        mixer: ``GatedLatentMixer`` config (``n_latent``/``w_dim`` filled).
        generator_ckpt: generator weights file (see above).
        skip_fusion: ``StyleGAN2SkipFusion`` config for stage 2
            (``resolution``/``generator_channels`` filled); None: stage 1.
        discriminator: ``StyleGAN2Discriminator`` config, needed by
            ``adv_loss``/``r1_loss``.
        pixel_loss: called as ``loss(pred, target, excluded)`` with
            ``excluded`` 1 on pixels to ignore (the hole of random-code
            samples): ``MSELoss(region='known')`` is the L2 loss.
        perceptual_loss: ``PerceptualLoss`` config on the region-masked
            images (disabled without VGG weights).
        identity_loss: ``IdentityLoss`` config, on true-code samples.
        adv_loss: ``NonSaturatingGANLoss`` config, on random-code samples.
        r1_loss: ``R1Penalty`` config.
        directions: ``{name: file}`` of latent directions
            (``inpaint_toolbox.models.editors.save_direction`` files),
            loaded at first use by ``predict(edits=...)``.
        data_preprocessor: default ``InpaintDataPreprocessor`` with
            ``size_divisor=1`` (predict handles any size itself).
        train_cfg: ``true_code_prob`` (p, default 0.5), ``truncation_psi``
            of the training codes (1.0), ``noise_mode`` (``'const'``),
            ``adv_real`` (``'generated'``: D's real images are the
            generated targets; ``'data'``: the batch's images), ``seed``
            (None: the torch seed at construction).
        test_cfg: ``seed`` (default seed of :meth:`predict`; None:
            random), ``num_samples`` (1), ``truncation_psi`` of the random
            codes (1.0), ``noise_mode`` (``'const'``).
        init_cfg: e.g. ``dict(type='Pretrained', checkpoint=stage1)``.
    """

    def __init__(self,
                 generator: dict,
                 encoder: dict,
                 mixer: dict = dict(type='GatedLatentMixer'),
                 generator_ckpt: Optional[str] = None,
                 skip_fusion: Optional[dict] = None,
                 discriminator: Optional[dict] = None,
                 pixel_loss: Optional[dict] = dict(
                     type='MSELoss', region='known'),
                 perceptual_loss: Optional[dict] = None,
                 identity_loss: Optional[dict] = None,
                 adv_loss: Optional[dict] = None,
                 r1_loss: Optional[dict] = None,
                 directions: Optional[Dict[str, str]] = None,
                 data_preprocessor: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if data_preprocessor is None:
            data_preprocessor = dict(
                type='InpaintDataPreprocessor', size_divisor=1)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.generator = MODELS.build(generator)
        gen = self.generator
        for attr in ('mapping', 'synthesis', 'z_dim', 'w_dim', 'n_latent',
                     'img_resolution', 'channels'):
            if not hasattr(gen, attr):
                raise TypeError(f'generator {type(gen).__name__} has no '
                                f'{attr!r}: a StyleGAN2Generator is needed')
        if getattr(gen, 'c_dim', 0):
            raise ValueError(f'only unconditional generators are supported, '
                             f'got c_dim={gen.c_dim}')
        gen.requires_grad_(False)
        gen.eval()
        self.resolution = int(gen.img_resolution)
        if 'resolution' not in encoder:
            raise ValueError('encoder.resolution must be given (the '
                             'generator resolution it inverts)')
        if int(encoder['resolution']) != self.resolution:
            raise ValueError(
                f'encoder.resolution={encoder["resolution"]} differs from '
                f'generator.img_resolution={self.resolution}')
        parts = dict(
            encoder=MODELS.build(
                _fill(
                    encoder, 'encoder', w_dim=gen.w_dim,
                    n_latent=gen.n_latent)),
            mixer=MODELS.build(
                _fill(mixer, 'mixer', w_dim=gen.w_dim, n_latent=gen.n_latent)))
        if skip_fusion is not None:
            parts['skip_fusion'] = MODELS.build(
                _fill(
                    skip_fusion,
                    'skip_fusion',
                    resolution=self.resolution,
                    generator_channels=gen.channels))
        self.inverter = nn.ModuleDict(parts)
        self.generator_ckpt = generator_ckpt
        self.register_buffer('generator_loaded', torch.tensor(False))

        self.discriminator = MODELS.build(discriminator) \
            if discriminator is not None else None
        if self.discriminator is not None:
            d_res = getattr(self.discriminator, 'img_resolution',
                            self.resolution)
            if d_res != self.resolution:
                raise ValueError(f'discriminator img_resolution={d_res} '
                                 f'differs from the generator\'s '
                                 f'{self.resolution}')
        self.pixel_loss, self.pixel_weight = _build_loss(pixel_loss)
        self.perceptual_loss, self.perceptual_weight = _build_loss(
            perceptual_loss)
        if self.perceptual_loss is not None and \
                not getattr(self.perceptual_loss, 'enabled', True):
            self.perceptual_loss = None
        self.identity_loss, self.identity_weight = _build_loss(identity_loss)
        self.adv_loss, self.adv_weight = _build_loss(adv_loss)
        self.r1_loss, _ = _build_loss(r1_loss)
        needs_d = [
            n for n, v in (('adv_loss', self.adv_loss),
                           ('r1_loss', self.r1_loss)) if v is not None
        ]
        if needs_d and self.discriminator is None:
            raise ValueError(f'{needs_d} need a discriminator, but '
                             'discriminator is None')

        self.direction_files = dict(directions or {})
        self._directions = None
        self.train_cfg = dict(train_cfg or {})
        self.test_cfg = dict(test_cfg or {})
        p = float(self.train_cfg.get('true_code_prob', 0.5))
        if not 0.0 <= p <= 1.0:
            raise ValueError(f'train_cfg.true_code_prob must be in [0, 1], '
                             f'got {p}')
        self.true_code_prob = p
        adv_real = self.train_cfg.get('adv_real', 'generated')
        if adv_real not in ADV_REAL:
            raise ValueError(f'train_cfg.adv_real must be one of '
                             f'{ADV_REAL}, got {adv_real!r}')
        self.adv_real = adv_real
        seed = self.train_cfg.get('seed')
        self.seed = int(torch.initial_seed() if seed is None else seed)
        self._step = 0

    # ---------------------------------------------------------- parts
    @property
    def encoder(self) -> nn.Module:
        """The inversion encoder."""
        return _unwrap(self.inverter)['encoder']

    @property
    def mixer(self) -> nn.Module:
        """The latent mixer."""
        return _unwrap(self.inverter)['mixer']

    @property
    def skip_fusion(self) -> Optional[nn.Module]:
        """The stage-2 skip path (None in stage 1)."""
        parts = _unwrap(self.inverter)
        return parts['skip_fusion'] if 'skip_fusion' in parts else None

    def train(self, mode: bool = True):
        super().train(mode)
        self.generator.eval()  # frozen: no w_avg updates
        return self

    # -------------------------------------------------- generator weights
    def init_weights(self) -> None:
        """mmengine initialization (``init_cfg``), then the generator's
        weights from ``generator_ckpt`` unless a checkpoint of this model
        already provided them."""
        super().init_weights()
        self.ensure_generator()

    def ensure_generator(self) -> None:
        """Load ``generator_ckpt`` once (see the class docstring)."""
        if bool(self.generator_loaded):
            return
        if self.generator_ckpt is None:
            print_log(
                'InversionInpaintor: generator_ckpt is None, the StyleGAN2 '
                'generator keeps its initial (random) weights',
                logger='current',
                level=30)
        else:
            load_generator_weights(self.generator, self.generator_ckpt,
                                   int(self.encoder.resolution))
        self.generator.requires_grad_(False)
        self.generator_loaded.fill_(True)

    # ------------------------------------------------------------ latent path
    @property
    def w_avg(self) -> torch.Tensor:
        """``[w_dim]`` average code of the generator."""
        return self.generator.mapping.w_avg

    def map_latents(self,
                    z: torch.Tensor,
                    truncation_psi: float = 1.0) -> torch.Tensor:
        """``[B, z_dim]`` -> W+ ``[B, n_latent, w_dim]`` (no gradient)."""
        with torch.no_grad():
            return self.generator.mapping(
                z, None, truncation_psi=truncation_psi, update_w_avg=False)

    def encode(
        self, inp: torch.Tensor
    ) -> Tuple[torch.Tensor, Optional[Dict[int, torch.Tensor]]]:
        """Codes and skip features of erased inputs.

        Args:
            inp: ``[B, 4, R, R]``: masked image in [-1, 1] (hole 0) and
                mask (1 = hole).

        Returns:
            tuple: encoded W+ ``[B, n_latent, w_dim]`` and the skip
            features ``{res: [B, C, res, res]}`` (None in stage 1).
        """
        r = self.resolution
        if inp.ndim != 4 or tuple(inp.shape[1:]) != (4, r, r):
            raise ValueError(f'expected inputs [B, 4, {r}, {r}], got '
                             f'{tuple(inp.shape)}')
        w_enc = self.encoder(inp, self.w_avg)
        feats = None
        if self.skip_fusion is not None:
            feats = self.skip_fusion(inp)
        return w_enc, feats

    def synthesize(self,
                   ws: torch.Tensor,
                   feats: Optional[Dict[int, torch.Tensor]] = None,
                   noise_mode: str = 'const') -> torch.Tensor:
        """W+ ``[B, n_latent, w_dim]`` (+ skip features) -> ``[B, 3, R, R]``
        in about [-1, 1] (gradients flow to ``ws`` and the skip path)."""
        feature_fn = None
        if feats is not None:
            feature_fn = self.skip_fusion.feature_fn(feats)
        # same numbers either way; unfused modulation backpropagates faster
        return self.generator.synthesis(
            ws,
            noise_mode=noise_mode,
            feature_fn=feature_fn,
            fused_modconv=not torch.is_grad_enabled())

    # --------------------------------------------------------------- training
    def _current_iter(self) -> int:
        it = MessageHub.get_current_instance().get_info('iter')
        return self._step if it is None else int(it)

    def step_generator(self, step: int) -> torch.Generator:
        """Random generator of iteration ``step``, seeded with ``(seed,
        rank, step)`` on the model's device."""
        state = np.random.SeedSequence([self.seed,
                                        get_rank(),
                                        int(step)
                                        ]).generate_state(2, np.uint32)
        rng = torch.Generator(device=self.w_avg.device)
        rng.manual_seed((int(state[0]) << 31) ^ int(state[1]))
        return rng

    def _update(self, wrapper: OptimWrapper, module: nn.Module,
                loss: torch.Tensor) -> None:
        """``update_params``; with several processes the gradients of
        ``module`` (called directly, not through DDP's forward) are
        averaged explicitly."""
        if get_world_size() == 1 or not is_model_wrapper(module):
            wrapper.update_params(loss)
            return
        wrapper.backward(wrapper.scale_loss(loss))
        if wrapper.should_update():
            grads = [p.grad for p in module.parameters() if p.grad is not None]
            all_reduce_params(grads, op='mean')
            wrapper.step()
            wrapper.zero_grad()

    def _training_batch(self, data: dict) -> Tuple[torch.Tensor, torch.Tensor]:
        """Masks ``[B, 1, R, R]`` and images ``[B, 3, R, R]`` of a batch."""
        inputs = self.data_preprocessor(data, True)['inputs']
        mask, real = inputs['mask'], inputs['gt']
        r = self.resolution
        if tuple(mask.shape[-2:]) != (r, r):
            raise ValueError(
                f'training batches must be {r}x{r} (the generator '
                f'resolution; only their masks and, with adv_real="data", '
                f'images are used), got {tuple(mask.shape[-2:])}')
        return mask, real

    def generate_targets(
            self, batch_size: int,
            rng: torch.Generator) -> Tuple[torch.Tensor, torch.Tensor]:
        """Fresh training images ``x = G(w)``.

        Returns:
            tuple: codes ``[B, n_latent, w_dim]`` and images ``[B, 3, R,
            R]`` clamped to [-1, 1].
        """
        psi = float(self.train_cfg.get('truncation_psi', 1.0))
        z = torch.randn(
            batch_size, self.generator.z_dim, generator=rng, device=rng.device)
        w = self.map_latents(z, psi)
        with torch.no_grad():
            x = self.synthesize(
                w, noise_mode=self.train_cfg.get('noise_mode',
                                                 'const')).clamp(-1, 1)
        return w, x

    def forward_train(self, mask: torch.Tensor,
                      rng: torch.Generator) -> Dict[str, torch.Tensor]:
        """The stage-1/2 forward pass on generated data.

        Args:
            mask: ``[B, 1, R, R]`` masks (1 = hole).
            rng: random generator of the iteration.

        Returns:
            dict: ``x`` targets, ``pred`` outputs ``[B, 3, R, R]``,
            ``use_true`` ``[B]`` bool (true code fed back), ``region``
            ``[B, 1, R, R]`` (1 where the reconstruction loss applies) and
            ``gate`` ``[B, n_latent, w_dim]``.
        """
        b = mask.shape[0]
        w_true, x = self.generate_targets(b, rng)
        psi = float(self.train_cfg.get('truncation_psi', 1.0))
        z = torch.randn(
            b, self.generator.z_dim, generator=rng, device=rng.device)
        w_new = self.map_latents(z, psi)
        use_true = torch.rand(b, generator=rng, device=rng.device) < \
            self.true_code_prob
        w_rand = torch.where(use_true[:, None, None], w_true, w_new)
        inp = torch.cat([x * (1 - mask), mask], dim=1)
        w_enc, feats = self.encode(inp)
        ws, gate = self.mixer(w_enc, w_rand, return_gate=True)
        pred = self.synthesize(
            ws, feats, noise_mode=self.train_cfg.get('noise_mode', 'const'))
        region = torch.where(use_true[:, None, None, None],
                             torch.ones_like(mask), 1 - mask)
        return dict(
            x=x, pred=pred, use_true=use_true, region=region, gate=gate)

    def discriminator_losses(self, real: torch.Tensor, fake: torch.Tensor,
                             step: int) -> Dict[str, torch.Tensor]:
        """D's adversarial loss on ``real`` against detached ``fake``, plus
        the lazy R1 penalty when due."""
        r1_due = self.r1_loss is not None and self.r1_loss.is_due(step)
        real = real.detach().requires_grad_(r1_due)
        real_logits = self.discriminator(real)
        fake_logits = self.discriminator(fake.detach())
        losses = {}
        if self.adv_loss is not None:
            losses['loss_d_real'] = self.adv_weight * self.adv_loss(
                real_logits, True)
            losses['loss_d_fake'] = self.adv_weight * self.adv_loss(
                fake_logits, False)
        if r1_due:
            losses['loss_r1'] = self.r1_loss(real_logits, real)
        return losses

    def inverter_losses(
            self, out: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        """Reconstruction (region-restricted), identity and adversarial
        terms of the encoder, mixer and skip path."""
        x, pred, region = out['x'], out['pred'], out['region']
        use_true = out['use_true']
        losses = {}
        if self.pixel_loss is not None:
            losses['loss_pixel'] = self.pixel_weight * self.pixel_loss(
                pred, x, 1 - region)
        if self.perceptual_loss is not None:
            losses['loss_perceptual'] = self.perceptual_weight * \
                self.perceptual_loss(pred * region, x * region)
        if self.identity_loss is not None:
            losses['loss_id'] = self.identity_weight * self.identity_loss(
                pred[use_true], x[use_true]) if use_true.any() \
                else pred.new_zeros(())
        if self.adv_loss is not None:
            # D sees the whole batch (its minibatch-stddev groups need the
            # full batch size); only random-code samples are judged
            if (~use_true).any():
                logits = self.discriminator(pred).flatten(1)
                losses['loss_g_adv'] = self.adv_weight * self.adv_loss(
                    logits[~use_true], True)
            else:
                losses['loss_g_adv'] = pred.new_zeros(())
        return losses

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        """One iteration: forward on generated data, D step, inverter step.

        Args:
            data: a batch from the dataloader (masks; images for
                ``adv_real='data'``).
            optim_wrapper: keys ``inverter`` (and ``discriminator`` with a
                discriminator).

        Returns:
            dict: logged values: the losses, ``loss_d``, ``loss_inv`` (the
            inverter's total), ``true_code_frac`` and ``gate_mean``.
        """
        if 'inverter' not in optim_wrapper:
            raise KeyError(f'optim_wrapper needs an "inverter" entry, got '
                           f'{list(optim_wrapper.keys())}')
        self.ensure_generator()
        mask, real_data = self._training_batch(data)
        step = self._current_iter()
        rng = self.step_generator(step)
        inv_wrapper = optim_wrapper['inverter']
        with inv_wrapper.optim_context(self.inverter):
            out = self.forward_train(mask, rng)
        log_vars = {}

        if self.discriminator is not None:
            d_wrapper = optim_wrapper['discriminator']
            real = out['x'] if self.adv_real == 'generated' else real_data
            with d_wrapper.optim_context(self.discriminator):
                d_losses = self.discriminator_losses(real, out['pred'], step)
            if d_losses:
                d_loss, d_log = self.parse_losses(d_losses)
                self._update(d_wrapper, self.discriminator, d_loss)
                d_log['loss_d'] = d_log.pop('loss')
                log_vars.update(d_log)

        if self.discriminator is not None:
            self.discriminator.requires_grad_(False)
        try:
            with inv_wrapper.optim_context(self.inverter):
                losses = self.inverter_losses(out)
            loss, inv_log = self.parse_losses(losses)
            self._update(inv_wrapper, self.inverter, loss)
        finally:
            if self.discriminator is not None:
                self.discriminator.requires_grad_(True)
        inv_log['loss_inv'] = inv_log.pop('loss')
        log_vars.update(inv_log)
        log_vars['true_code_frac'] = out['use_true'].float().mean()
        log_vars['gate_mean'] = out['gate'].detach().mean()
        self._step = step + 1
        return log_vars

    # -------------------------------------------------------------- editing
    def _load_directions(self) -> dict:
        if self._directions is None:
            from inpaint_toolbox.models.editors import load_direction
            self._directions = {
                name: load_direction(path)
                for name, path in self.direction_files.items()
            }
        return self._directions

    def apply_edits(self, ws: torch.Tensor,
                    edits: Optional[Dict[str, float]]) -> torch.Tensor:
        """Move W+ codes ``[B, n_latent, w_dim]`` along named directions.

        Raises:
            ValueError: an unknown direction name (the message lists the
                configured ones).
        """
        if not edits:
            return ws
        unknown = sorted(set(edits) - set(self.direction_files))
        if unknown:
            raise ValueError(f'unknown edit direction(s) {unknown}; '
                             f'available: {sorted(self.direction_files)}')
        directions = self._load_directions()
        for name, strength in edits.items():
            ws = directions[name].apply(ws, strength)
        return ws

    # ------------------------------------------------------------ inference
    def _sample_codes(self, seed: int, num_samples: int,
                      batch_size: int) -> List[torch.Tensor]:
        """Random W+ of sample ``k``: ``z`` from ``Generator().manual_seed(
        seed + k)`` (CPU), the same for every image of the batch."""
        psi = float(self.test_cfg.get('truncation_psi', 1.0))
        codes = []
        for k in range(num_samples):
            rng = torch.Generator().manual_seed(int(seed) + k)
            z = torch.randn(1, self.generator.z_dim, generator=rng)
            w = self.map_latents(z.to(self.w_avg.device), psi)
            codes.append(w.expand(batch_size, -1, -1))
        return codes

    def inpaint(self,
                inp: torch.Tensor,
                num_samples: int = 1,
                seed: int = 0,
                edits: Optional[Dict[str, float]] = None) -> torch.Tensor:
        """Raw fillings of canvases ``[B, 4, R, R]``.

        Returns:
            Tensor: ``[num_samples, B, 3, R, R]`` in about [-1, 1].
        """
        noise_mode = self.test_cfg.get('noise_mode', 'const')
        with torch.no_grad():
            w_enc, feats = self.encode(inp)
            preds = []
            for w_rand in self._sample_codes(seed, num_samples, inp.shape[0]):
                ws = self.apply_edits(self.mixer(w_enc, w_rand), edits)
                preds.append(self.synthesize(ws, feats, noise_mode))
        return torch.stack(preds)

    def forward(self,
                inputs: dict,
                data_samples: Optional[Sequence[InpaintDataSample]] = None,
                mode: str = 'tensor'):
        """``mode='tensor'``: raw output ``[B, 3, R, R]`` for canvases
        ``inputs['img']`` ``[B, 4, R, R]`` (sample 0 of the test seed);
        ``mode='predict'``: see :meth:`predict`. Training goes through
        :meth:`train_step`."""
        if mode == 'tensor':
            self.ensure_generator()
            seed = self.test_cfg.get('seed')
            return self.inpaint(inputs['img'], 1,
                                0 if seed is None else seed)[0]
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f'mode must be "tensor" or "predict", got "{mode}" '
                         '(training runs through train_step)')

    def predict(self,
                inputs: dict,
                data_samples: Sequence[InpaintDataSample],
                num_samples: Optional[int] = None,
                seed: Optional[int] = None,
                edits: Optional[Dict[str, float]] = None,
                scale: Optional[float] = None) -> List[InpaintDataSample]:
        """Inpaint a preprocessed batch with ``num_samples`` random codes.

        Each image (cropped to its own ``img_shape``) is placed on the
        generator's canvas (see the class docstring); sample ``k`` uses the
        random code of ``torch.Generator().manual_seed(seed + k)``, the
        same for every image of the batch and independent of
        ``num_samples``; ``edits`` move the mixed codes before drawing.

        Args:
            inputs: preprocessed batch with ``gt`` ``[B, 3, Hp, Wp]`` and
                ``mask`` ``[B, 1, Hp, Wp]``.
            data_samples: with ``gt_img`` (uint8) and ``mask``.
            num_samples: random codes per image (default
                ``test_cfg['num_samples']`` or 1).
            seed: base seed (default ``test_cfg['seed']``; when that is
                None too, a random seed from torch's global generator).
            edits: ``{direction name: strength}``.
            scale: only 1 is supported (the output is the input's size).

        Returns:
            list[InpaintDataSample]: each with ``outputs`` and ``pred_imgs``
            ``(N, 3, h, w)`` (composites and raw predictions, float in [0,
            255], original size), ``output = outputs[0]``, ``pred_img =
            pred_imgs[0]``, ``known_mask`` ``(1, h, w)`` (1 = known, for
            known-region metrics of ``pred_img``) and ``seed``.
        """
        if scale is not None and float(scale) != 1.0:
            raise ValueError(f'InversionInpaintor only supports scale=1, '
                             f'got {scale}')
        if num_samples is None:
            num_samples = int(self.test_cfg.get('num_samples', 1))
        if int(num_samples) != num_samples or num_samples < 1:
            raise ValueError(f'num_samples must be an int >= 1, got '
                             f'{num_samples}')
        if seed is None:
            seed = self.test_cfg.get('seed')
        if seed is None:
            seed = int(torch.randint(0, 2**31 - 1, ()).item())
        self.ensure_generator()
        r = self.resolution
        gts, masks = inputs['gt'], inputs['mask']
        canvases, boxes, sizes = [], [], []
        for gt, mask, sample in zip(gts, masks, data_samples):
            h, w = sample.metainfo.get('img_shape', tuple(gt.shape[-2:]))
            img, m, box = to_canvas(gt[:, :h, :w], mask[:, :h, :w], r)
            canvases.append(torch.cat([img, m]))
            boxes.append(box)
            sizes.append((h, w))
        preds = self.inpaint(
            torch.stack(canvases), int(num_samples), seed, edits)
        out = []
        for i, sample in enumerate(data_samples):
            pred = from_canvas(preds[:, i], boxes[i], sizes[i])
            pred = ((pred.float() + 1.0) * 127.5).clamp(0, 255)
            gt = sample.gt_img.to(pred.device).float()
            m = sample.mask.to(pred.device).float()
            comp = gt * (1 - m) + pred * m
            sample.pred_imgs = pred
            sample.outputs = comp
            sample.pred_img = pred[0]
            sample.output = comp[0]
            sample.known_mask = (1 - m).to(torch.uint8)
            sample.set_metainfo(dict(seed=int(seed)))
            out.append(sample)
        return out
