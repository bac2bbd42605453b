"""StyleGAN2 training as an mmengine model: D step, G step, EMA.

The losses follow NVIDIA's stylegan2-ada-pytorch ``StyleGAN2Loss``:

- non-saturating logistic loss for G and D (``NonSaturatingGANLoss``);
- lazy R1 on real images every ``r1_loss.interval`` D steps, scaled by the
  interval (``R1Penalty``);
- lazy path-length regularization every ``interval`` G steps, on a batch
  ``batch_shrink`` times smaller (:class:`PathLengthRegularizer`);
- style mixing: with probability ``style_mixing_prob`` the codes from a
  cutoff drawn uniformly in ``[1, num_ws)`` come from a second latent.

The regularization terms are added to the loss of the same optimizer step
(as mmagic does) rather than run as separate steps; the configs apply the
usual lazy-regularization correction to Adam (``lr *= r``,
``betas **= r`` with ``r = interval / (interval + 1)``).

Reference: Karras et al., "Analyzing and Improving the Image Quality of
StyleGAN", CVPR 2020.
"""
import copy
import math
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.dist import all_reduce_params, get_rank, get_world_size
from mmengine.logging import MessageHub
from mmengine.model import (BaseModel, ExponentialMovingAverage,
                            is_model_wrapper)
from mmengine.optim import OptimWrapper, OptimWrapperDict

from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample
from .gan_data_preprocessor import to_pixel_range

__all__ = ['PathLengthRegularizer', 'StyleGAN2GAN', 'fixed_latents']

ModuleOrCfg = Union[dict, nn.Module]


def fixed_latents(seeds: Sequence[int], z_dim: int) -> torch.Tensor:
    """Latents for fixed seeds, the same as NVIDIA's ``generate.py``.

    ``z_i = np.random.RandomState(seed_i).randn(z_dim)``, so sample ``s``
    here and ``tools/generate.py --seeds s`` show the same image.

    Args:
        seeds: ints in ``[0, 2**32)``.
        z_dim: latent size.

    Returns:
        Tensor: ``[len(seeds), z_dim]`` float32 on the CPU.

    Raises:
        ValueError: a seed is out of range, or no seeds.
    """
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError('need at least one seed')
    bad = [s for s in seeds if not 0 <= s < 2**32]
    if bad:
        raise ValueError(f'seeds must be in [0, 2**32), got {bad}')
    z = np.stack([np.random.RandomState(s).randn(z_dim) for s in seeds])
    return torch.from_numpy(z).to(torch.float32)


def _unwrap(module: nn.Module) -> nn.Module:
    return module.module if is_model_wrapper(module) else module


def _set_requires_grad(module: nn.Module, flag: bool) -> None:
    for p in module.parameters():
        p.requires_grad_(flag)


def _build(cfg: ModuleOrCfg, what: str) -> nn.Module:
    if isinstance(cfg, nn.Module):
        return cfg
    if not isinstance(cfg, dict):
        raise TypeError(f'{what} must be a config dict or a module, got '
                        f'{type(cfg).__name__}')
    return MODELS.build(cfg)


def _build_loss(cfg: Optional[dict]) -> Tuple[Optional[nn.Module], float]:
    """Build a loss whose ``loss_weight`` (default 1) stays with us."""
    if cfg is None:
        return None, 0.0
    cfg = copy.deepcopy(dict(cfg))
    weight = float(cfg.pop('loss_weight', 1.0))
    return MODELS.build(cfg), weight


@MODELS.register_module()
class PathLengthRegularizer(nn.Module):
    """StyleGAN2's lazy path-length regularization.

    With ``y ~ N(0, I) / sqrt(H * W)`` and ``J`` the Jacobian of the image
    with respect to W+, ``a = || J^T y ||`` (squared norms summed over
    ``w_dim``, averaged over the codes, square root) should stay near its
    running mean ``pl_mean``::

        pl_mean <- pl_mean + decay * (mean(a) - pl_mean)
        loss = mean((a - pl_mean) ** 2) * loss_weight * interval

    ``pl_mean`` is a persistent buffer (saved in checkpoints). The penalty is
    computed every ``interval`` generator steps on a batch ``batch_shrink``
    times smaller than the training batch.

    Args:
        loss_weight: ``pl_weight`` (NVIDIA: 2).
        interval: compute every this many steps (NVIDIA: 4).
        decay: update rate of ``pl_mean`` (NVIDIA: 0.01).
        batch_shrink: divide the batch by this (NVIDIA: 2).
    """

    def __init__(self,
                 loss_weight: float = 2.0,
                 interval: int = 4,
                 decay: float = 0.01,
                 batch_shrink: int = 2):
        super().__init__()
        if loss_weight < 0:
            raise ValueError(f'loss_weight must be >= 0, got {loss_weight}')
        if int(interval) != interval or interval < 1:
            raise ValueError(f'interval must be an int >= 1, got {interval}')
        if not 0 < decay <= 1:
            raise ValueError(f'decay must be in (0, 1], got {decay}')
        if int(batch_shrink) != batch_shrink or batch_shrink < 1:
            raise ValueError(
                f'batch_shrink must be an int >= 1, got {batch_shrink}')
        self.loss_weight = float(loss_weight)
        self.interval = int(interval)
        self.decay = float(decay)
        self.batch_shrink = int(batch_shrink)
        self.register_buffer('pl_mean', torch.zeros([]))

    def is_due(self, step: int) -> bool:
        """Whether the penalty is computed at this (0-based) step."""
        return step % self.interval == 0

    def batch_size(self, batch_size: int) -> int:
        """Batch of the regularization pass, ``max(1, B // shrink)``."""
        return max(1, batch_size // self.batch_shrink)

    def forward(self,
                img: torch.Tensor,
                ws: torch.Tensor,
                generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Penalty of images ``img`` synthesized from codes ``ws``.

        Updates ``pl_mean`` in place.

        Args:
            img: ``[N, C, H, W]``, computed from ``ws`` with autograd on.
            ws: ``[N, num_ws, w_dim]`` codes that produced ``img``.
            generator: random generator of the projection noise (on the
                device of ``img``).

        Returns:
            tuple: scalar loss (already times ``loss_weight * interval``)
            and the detached path lengths ``[N]``.
        """
        if img.ndim != 4 or ws.ndim != 3 or img.shape[0] != ws.shape[0]:
            raise ValueError(f'expected img [N, C, H, W] and ws [N, num_ws, '
                             f'w_dim], got {tuple(img.shape)} and '
                             f'{tuple(ws.shape)}')
        if not ws.requires_grad:
            raise ValueError('ws must require grad (the images must be '
                             'computed from ws with autograd enabled)')
        h, w = img.shape[-2:]
        noise = torch.randn(img.shape, generator=generator,
                            device=img.device, dtype=img.dtype)
        noise = noise / math.sqrt(h * w)
        grad, = torch.autograd.grad((img * noise).sum(), ws,
                                    create_graph=True)
        lengths = grad.float().square().sum(2).mean(1).sqrt()
        pl_mean = self.pl_mean.lerp(lengths.mean(), self.decay)
        self.pl_mean.copy_(pl_mean.detach())
        penalty = (lengths - pl_mean).square().mean()
        return penalty * (self.loss_weight * self.interval), lengths.detach()

    def extra_repr(self) -> str:
        return (f'loss_weight={self.loss_weight}, interval={self.interval}, '
                f'decay={self.decay}, batch_shrink={self.batch_shrink}')


@MODELS.register_module()
class StyleGAN2GAN(BaseModel):
    """Unconditional StyleGAN2 trained with the mmengine runner.

    Each ``train_step`` runs a discriminator step (real images of the batch
    against fakes from fresh latents, lazy R1 when due), then a generator
    step (adversarial loss on fresh latents, path-length penalty when due),
    then the EMA update. Each step goes through its own optimizer wrapper of
    an ``OptimWrapperDict`` (keys ``generator`` and ``discriminator``) inside
    ``optim_context``, with ``update_params``, so AMP and gradient
    accumulation work. The network that is not being trained gets no
    gradients: fakes for the D step are made without autograd, and D's
    parameters are frozen during the G step.

    Randomness: every latent, mixing cutoff and noise map of iteration
    ``step`` comes from a ``torch.Generator`` seeded with ``(seed, rank,
    step)``, so a run (and a resumed run) is reproducible. ``seed`` is
    ``train_cfg['seed']``, or, when None, the torch seed at construction
    (which mmengine's ``randomness`` config sets).

    The tracked ``w_avg`` of the generator is updated in the main pass of
    each generator step (decay ``w_avg_beta`` per step); the D-step and
    regularization passes leave it alone, so a D step changes nothing in G.

    EMA: ``ema=dict(momentum=m)`` builds mmengine's
    ``ExponentialMovingAverage`` (``ema <- (1 - m) * ema + m * G``; buffers
    are copied). NVIDIA's half-life of ``ema_kimg`` thousand images gives
    ``m = 1 - 0.5 ** (batch_size / (ema_kimg * 1000))`` per step with the
    global batch size, e.g. ``ema_kimg=10``, batch 32: ``m = 0.00222``.

    Args:
        generator: ``StyleGAN2Generator`` config (or module), unconditional.
        discriminator: ``StyleGAN2Discriminator`` config (or module) of the
            same resolution.
        adv_loss: non-saturating logistic loss config (``loss_weight``
            allowed).
        r1_loss: ``R1Penalty`` config or None.
        path_length_loss: :class:`PathLengthRegularizer` config or None.
        style_mixing_prob: probability of style mixing per G pass.
        ema: ``ExponentialMovingAverage`` kwargs, or None (no EMA; sampling
            then uses the generator).
        data_preprocessor: defaults to ``GANDataPreprocessor``.
        train_cfg: ``seed`` (int or None), see above.
        test_cfg: ``use_ema`` (True), ``noise_mode`` (``'const'``),
            ``truncation_psi`` (1.0), ``truncation_cutoff`` (None) and
            ``seed`` (0: sample ``i`` of a test set uses ``seed + i``).
        init_cfg: mmengine init config.
    """

    def __init__(self,
                 generator: ModuleOrCfg,
                 discriminator: ModuleOrCfg,
                 adv_loss: Optional[dict] = dict(type='NonSaturatingGANLoss'),
                 r1_loss: Optional[dict] = dict(
                     type='R1Penalty', gamma=10.0, interval=16),
                 path_length_loss: Optional[dict] = dict(
                     type='PathLengthRegularizer'),
                 style_mixing_prob: float = 0.9,
                 ema: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if data_preprocessor is None:
            data_preprocessor = dict(type='GANDataPreprocessor')
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.generator = _build(generator, 'generator')
        self.discriminator = _build(discriminator, 'discriminator')
        self._check_networks()
        if adv_loss is None:
            raise ValueError('adv_loss is required (e.g. '
                             "dict(type='NonSaturatingGANLoss'))")
        self.adv_loss, self.adv_weight = _build_loss(adv_loss)
        self.r1_loss, _ = _build_loss(r1_loss)
        self.path_length_loss = None if path_length_loss is None else \
            MODELS.build(path_length_loss)
        if not 0.0 <= style_mixing_prob <= 1.0:
            raise ValueError(f'style_mixing_prob must be in [0, 1], got '
                             f'{style_mixing_prob}')
        self.style_mixing_prob = float(style_mixing_prob)
        self.generator_ema = ExponentialMovingAverage(
            self.generator, **ema) if ema is not None else None
        self.train_cfg = dict(train_cfg or {})
        self.test_cfg = dict(test_cfg or {})
        seed = self.train_cfg.get('seed')
        self.seed = int(torch.initial_seed() if seed is None else seed)
        if self.seed < 0:
            raise ValueError(f'train_cfg.seed must be >= 0, got {seed}')
        self._step = 0
        self.register_load_state_dict_pre_hook(self._accept_converted_ema)

    # ------------------------------------------------------------ checks
    def _check_networks(self) -> None:
        gen, disc = self.generator, self.discriminator
        for attr in ('mapping', 'synthesis', 'z_dim', 'num_ws',
                     'img_resolution', 'img_channels'):
            if not hasattr(gen, attr):
                raise TypeError(f'generator {type(gen).__name__} has no '
                                f'{attr!r}: a StyleGAN2Generator is needed')
        if getattr(gen, 'c_dim', 0):
            raise ValueError(f'only unconditional generators are supported, '
                             f'got c_dim={gen.c_dim}')
        d_res = getattr(disc, 'img_resolution', None)
        if d_res != gen.img_resolution:
            raise ValueError(f'discriminator img_resolution={d_res} differs '
                             f'from generator img_resolution='
                             f'{gen.img_resolution}')

    def _check_real(self, real: torch.Tensor) -> None:
        gen = _unwrap(self.generator)
        res, ch = gen.img_resolution, gen.img_channels
        if real.ndim != 4 or tuple(real.shape[1:]) != (ch, res, res):
            raise ValueError(
                f'real images must be [N, {ch}, {res}, {res}] (the '
                f'generator resolution), got {tuple(real.shape)}: prepare '
                'the dataset at that resolution')

    @staticmethod
    def _accept_converted_ema(module, state_dict, prefix, *args) -> None:
        """Read ``generator_ema.<key>`` of converted checkpoints (see
        ``tools/convert_stylegan2.py``) into the EMA wrapper's
        ``generator_ema.module.<key>``."""
        if module.generator_ema is None:
            return
        head = prefix + 'generator_ema.'
        for key in [k for k in state_dict if k.startswith(head)]:
            rest = key[len(head):]
            if rest.startswith('module.') or rest == 'steps':
                continue
            new = head + 'module.' + rest
            if new not in state_dict:
                state_dict[new] = state_dict.pop(key)

    # ------------------------------------------------------------- utils
    @property
    def sampling_generator(self) -> nn.Module:
        """The EMA generator when there is one, else the generator."""
        if self.generator_ema is not None:
            return self.generator_ema.module
        return _unwrap(self.generator)

    def _device(self) -> torch.device:
        return next(_unwrap(self.generator).parameters()).device

    def _current_iter(self) -> int:
        it = MessageHub.get_current_instance().get_info('iter')
        return self._step if it is None else int(it)

    def step_generator(self, step: int) -> torch.Generator:
        """The random generator of iteration ``step`` (seeded with
        ``(seed, rank, step)``), on the model's device."""
        state = np.random.SeedSequence(
            [self.seed, get_rank(), int(step)]).generate_state(2, np.uint32)
        seed = (int(state[0]) << 31) ^ int(state[1])
        rng = torch.Generator(device=self._device())
        rng.manual_seed(seed)
        return rng

    @staticmethod
    def _randn(shape, rng: torch.Generator) -> torch.Tensor:
        return torch.randn(shape, generator=rng, device=rng.device)

    def mix_styles(self, generator: nn.Module, ws: torch.Tensor,
                   rng: torch.Generator,
                   prob: Optional[float] = None
                   ) -> Tuple[torch.Tensor, int]:
        """Style mixing as in stylegan2-ada-pytorch.

        A cutoff is drawn uniformly in ``[1, num_ws)``; with probability
        ``prob`` the codes ``ws[:, cutoff:]`` are replaced by the mapping of
        a second latent (``w_avg`` not updated).

        Args:
            generator: the (unwrapped) generator.
            ws: ``[N, num_ws, w_dim]``.
            rng: random generator on the device of ``ws``.
            prob: mixing probability (default ``style_mixing_prob``).

        Returns:
            tuple: mixed ``[N, num_ws, w_dim]`` and the cutoff (``num_ws``
            when not mixed).
        """
        prob = self.style_mixing_prob if prob is None else prob
        num_ws = ws.shape[1]
        if prob <= 0 or num_ws < 2:
            return ws, num_ws
        cutoff = int(torch.randint(1, num_ws, (1, ), generator=rng,
                                   device=rng.device).item())
        if float(torch.rand((1, ), generator=rng,
                            device=rng.device).item()) >= prob:
            return ws, num_ws
        z2 = self._randn((ws.shape[0], generator.z_dim), rng)
        ws2 = generator.mapping(z2, None, update_w_avg=False)
        return torch.cat([ws[:, :cutoff], ws2[:, cutoff:]], dim=1), cutoff

    def _run_generator(self, generator: nn.Module, batch_size: int,
                       rng: torch.Generator, update_w_avg: bool
                       ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Fresh latents -> (mixed) W+ -> images with random noise.

        Returns:
            tuple: images ``[N, C, H, W]`` and the codes ``[N, num_ws,
            w_dim]`` that made them.
        """
        z = self._randn((batch_size, generator.z_dim), rng)
        ws = generator.mapping(z, None, update_w_avg=update_w_avg)
        ws, _ = self.mix_styles(generator, ws, rng)
        img = generator.synthesis(ws, noise_mode='random', generator=rng)
        return img, ws

    def _update_generator_params(self, wrapper: OptimWrapper,
                                 loss: torch.Tensor) -> None:
        """``update_params`` for G, averaging gradients across processes.

        The generator's mapping and synthesis networks are called directly
        (the W+ codes are needed), not through the DDP wrapper's forward, so
        DDP does not reduce their gradients; with several processes this
        does it before the optimizer step.
        """
        if get_world_size() == 1 or not is_model_wrapper(self.generator):
            wrapper.update_params(loss)
            return
        wrapper.backward(wrapper.scale_loss(loss))
        if wrapper.should_update():
            grads = [p.grad for p in self.generator.parameters()
                     if p.grad is not None]
            all_reduce_params(grads, op='mean')
            wrapper.step()
            wrapper.zero_grad()

    # ---------------------------------------------------------- training
    def train_discriminator(self, real: torch.Tensor,
                            optim_wrapper: OptimWrapper, step: int,
                            rng: torch.Generator) -> Dict[str, torch.Tensor]:
        """One D step: real images against fresh fakes, plus lazy R1.

        Args:
            real: ``[N, C, H, W]`` in [-1, 1].
            optim_wrapper: the discriminator's wrapper.
            step: 0-based iteration (decides whether R1 is due).
            rng: random generator of this iteration.

        Returns:
            dict: ``loss_d`` (total), ``loss_d_real``, ``loss_d_fake``,
            ``loss_r1`` (when due), ``d_real_logit``, ``d_fake_logit``.
        """
        gen = _unwrap(self.generator)
        r1_due = self.r1_loss is not None and self.r1_loss.is_due(step)
        with optim_wrapper.optim_context(self.discriminator):
            with torch.no_grad():
                fake, _ = self._run_generator(gen, real.shape[0], rng,
                                              update_w_avg=False)
            real_in = real.detach().requires_grad_(r1_due)
            real_logits = self.discriminator(real_in)
            fake_logits = self.discriminator(fake)
            losses = dict(
                loss_d_real=self.adv_weight * self.adv_loss(
                    real_logits, True),
                loss_d_fake=self.adv_weight * self.adv_loss(
                    fake_logits, False))
            if r1_due:
                losses['loss_r1'] = self.r1_loss(real_logits, real_in)
        losses['d_real_logit'] = real_logits.detach().float().mean()
        losses['d_fake_logit'] = fake_logits.detach().float().mean()
        loss, log_vars = self.parse_losses(losses)
        optim_wrapper.update_params(loss)
        log_vars['loss_d'] = log_vars.pop('loss')
        return log_vars

    def train_generator(self, batch_size: int, optim_wrapper: OptimWrapper,
                        step: int,
                        rng: torch.Generator) -> Dict[str, torch.Tensor]:
        """One G step: adversarial loss, plus lazy path-length penalty.

        Args:
            batch_size: number of fakes in the main pass.
            optim_wrapper: the generator's wrapper.
            step: 0-based iteration (decides whether the penalty is due).
            rng: random generator of this iteration.

        Returns:
            dict: ``loss_g`` (total), ``loss_g_adv``, and ``loss_pl`` and
            ``pl_mean`` when the penalty is due.
        """
        gen = _unwrap(self.generator)
        pl = self.path_length_loss
        pl_due = pl is not None and pl.loss_weight > 0 and pl.is_due(step)
        _set_requires_grad(self.discriminator, False)
        try:
            with optim_wrapper.optim_context(self.generator):
                fake, _ = self._run_generator(gen, batch_size, rng,
                                              update_w_avg=True)
                logits = self.discriminator(fake)
                losses = dict(
                    loss_g_adv=self.adv_weight * self.adv_loss(logits, True))
                if pl_due:
                    img, ws = self._run_generator(
                        gen, pl.batch_size(batch_size), rng,
                        update_w_avg=False)
                    losses['loss_pl'], _ = pl(img, ws, generator=rng)
                    losses['pl_mean'] = pl.pl_mean.detach().clone()
            loss, log_vars = self.parse_losses(losses)
            self._update_generator_params(optim_wrapper, loss)
        finally:
            _set_requires_grad(self.discriminator, True)
        log_vars['loss_g'] = log_vars.pop('loss')
        return log_vars

    def train_step(self, data: dict, optim_wrapper: OptimWrapperDict
                   ) -> Dict[str, torch.Tensor]:
        """One iteration: D step, G step, EMA update.

        Args:
            data: a batch from the dataloader (real images).
            optim_wrapper: with keys ``generator`` and ``discriminator``.

        Returns:
            dict: the logged values of both steps.
        """
        data = self.data_preprocessor(data, True)
        real = data['inputs']['img']
        self._check_real(real)
        step = self._current_iter()
        rng = self.step_generator(step)
        log_vars = {}
        log_vars.update(self.train_discriminator(
            real, optim_wrapper['discriminator'], step, rng))
        log_vars.update(self.train_generator(
            real.shape[0], optim_wrapper['generator'], step, rng))
        if self.generator_ema is not None:
            self.generator_ema.update_parameters(_unwrap(self.generator))
        self._step = step + 1
        return log_vars

    # --------------------------------------------------------- inference
    def generate(self,
                 z: torch.Tensor,
                 use_ema: Optional[bool] = None,
                 noise_mode: Optional[str] = None,
                 truncation_psi: Optional[float] = None,
                 truncation_cutoff: Optional[int] = None) -> torch.Tensor:
        """Images from latents (``w_avg`` is not updated).

        Unset arguments come from ``test_cfg``.

        Args:
            z: ``[N, z_dim]``.
            use_ema: use the EMA generator (when there is one).
            noise_mode: ``'const'``, ``'random'`` or ``'none'``.
            truncation_psi: truncation strength (1: none).
            truncation_cutoff: truncate only the first codes.

        Returns:
            Tensor: ``[N, C, H, W]`` in about [-1, 1] (not clamped).
        """
        cfg = self.test_cfg
        use_ema = cfg.get('use_ema', True) if use_ema is None else use_ema
        gen = self.sampling_generator if use_ema else _unwrap(self.generator)
        noise_mode = cfg.get('noise_mode', 'const') \
            if noise_mode is None else noise_mode
        psi = cfg.get('truncation_psi', 1.0) \
            if truncation_psi is None else truncation_psi
        cutoff = cfg.get('truncation_cutoff') \
            if truncation_cutoff is None else truncation_cutoff
        if z.ndim != 2 or z.shape[1] != gen.z_dim:
            raise ValueError(f'z must be [N, {gen.z_dim}], got '
                             f'{tuple(z.shape)}')
        device = next(gen.parameters()).device
        ws = gen.mapping(z.to(device), None, truncation_psi=psi,
                         truncation_cutoff=cutoff, update_w_avg=False)
        return gen.synthesis(ws, noise_mode=noise_mode)

    @torch.no_grad()
    def sample_images(self, seeds: Sequence[int], **kwargs) -> torch.Tensor:
        """Images for fixed seeds (see :func:`fixed_latents`).

        Args:
            seeds: one image per seed.
            **kwargs: arguments of :meth:`generate`.

        Returns:
            Tensor: ``[len(seeds), C, H, W]`` in about [-1, 1].
        """
        z = fixed_latents(seeds, self.sampling_generator.z_dim)
        return self.generate(z, **kwargs)

    def forward(self,
                inputs: Union[torch.Tensor, dict],
                data_samples: Optional[Sequence] = None,
                mode: str = 'tensor'):
        """``mode='tensor'``: images ``[N, C, H, W]`` in about [-1, 1] from
        latents (``inputs`` is ``z`` or a dict with ``z``); ``mode='predict'``:
        one sample per item of the batch, see :meth:`predict`. Training
        goes through :meth:`train_step`."""
        if mode == 'tensor':
            z = inputs.get('z') if isinstance(inputs, dict) else inputs
            if not isinstance(z, torch.Tensor):
                raise ValueError("mode='tensor' needs latents: a [N, z_dim] "
                                 "tensor or a dict with 'z'")
            return self.generate(z)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f'mode must be "tensor" or "predict", got "{mode}" '
                         '(training runs through train_step)')

    def predict(self, inputs: dict,
                data_samples: Optional[Sequence] = None
                ) -> List[InpaintDataSample]:
        """Generate one image per item of a batch from fixed seeds.

        Item ``i`` (its ``sample_idx`` when the sample has one) uses seed
        ``test_cfg['seed'] + i``; the real images are not used.

        Args:
            inputs: preprocessed batch with ``img`` ``[N, C, H, W]``.
            data_samples: the batch's samples, or None.

        Returns:
            list[InpaintDataSample]: with ``fake_img`` ``(C, H, W)`` float
            in [0, 255].
        """
        if data_samples is None:
            num = inputs['img'].shape[0]
            data_samples = [InpaintDataSample() for _ in range(num)]
        base = int(self.test_cfg.get('seed', 0))
        seeds = [base + int(s.metainfo.get('sample_idx', i))
                 for i, s in enumerate(data_samples)]
        imgs = to_pixel_range(self.sample_images(seeds))
        out = []
        for img, sample in zip(imgs, data_samples):
            sample.fake_img = img.cpu()
            out.append(sample)
        return out
