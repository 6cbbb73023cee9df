"""Blocked loops over N, for rows too long for one block.

Forward: each program walks its row in BLOCK-sized chunks three times (mean,
variance around the mean, then normalise and store), so registers hold one chunk
whatever N is. Backward: each program takes ROWS rows; per row a first loop sums
xhat * w * dy and w * dy, a second writes dx and adds dy * xhat and dy into fp32
partials of dW/dB kept per program; a second kernel reduces the partials.
"""

import torch
import triton
import triton.language as tl

BLOCK = 1024


@triton.jit
def _fwd(X, Y, W, B, Mean, Rstd, stride, N, eps, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    X += row * stride
    Y += row * stride
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for off in range(0, N, BLOCK):
        cols = off + tl.arange(0, BLOCK)
        acc += tl.load(X + cols, mask=cols < N, other=0.0).to(tl.float32)
    mean = tl.sum(acc, axis=0) / N
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for off in range(0, N, BLOCK):
        cols = off + tl.arange(0, BLOCK)
        x = tl.load(X + cols, mask=cols < N, other=0.0).to(tl.float32)
        d = tl.where(cols < N, x - mean, 0.0)
        acc += d * d
    rstd = 1.0 / tl.sqrt(tl.sum(acc, axis=0) / N + eps)
    tl.store(Mean + row, mean)
    tl.store(Rstd + row, rstd)
    for off in range(0, N, BLOCK):
        cols = off + tl.arange(0, BLOCK)
        mask = cols < N
        x = tl.load(X + cols, mask=mask, other=0.0).to(tl.float32)
        w = tl.load(W + cols, mask=mask, other=0.0).to(tl.float32)
        b = tl.load(B + cols, mask=mask, other=0.0).to(tl.float32)
        y = (x - mean) * rstd * w + b
        tl.store(Y + cols, y.to(Y.dtype.element_ty), mask=mask)


@triton.jit
def _bwd(X, DY, DX, W, Mean, Rstd, PartW, PartB, stride, M, N, ROWS: tl.constexpr,
         BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    for i in range(ROWS):
        row = pid * ROWS + i
        if row < M:
            mean = tl.load(Mean + row)
            rstd = tl.load(Rstd + row)
            s1 = tl.zeros([BLOCK], dtype=tl.float32)
            s2 = tl.zeros([BLOCK], dtype=tl.float32)
            for off in range(0, N, BLOCK):
                cols = off + tl.arange(0, BLOCK)
                mask = cols < N
                x = tl.load(X + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
                dy = tl.load(DY + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
                w = tl.load(W + cols, mask=mask, other=0.0).to(tl.float32)
                xhat = tl.where(mask, (x - mean) * rstd, 0.0)
                s1 += xhat * w * dy
                s2 += w * dy
            c1 = tl.sum(s1, axis=0) / N
            c2 = tl.sum(s2, axis=0) / N
            for off in range(0, N, BLOCK):
                cols = off + tl.arange(0, BLOCK)
                mask = cols < N
                x = tl.load(X + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
                dy = tl.load(DY + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
                w = tl.load(W + cols, mask=mask, other=0.0).to(tl.float32)
                xhat = tl.where(mask, (x - mean) * rstd, 0.0)
                dx = (w * dy - (xhat * c1 + c2)) * rstd
                tl.store(DX + row * stride + cols, dx.to(DX.dtype.element_ty), mask=mask)
                pw = tl.load(PartW + pid * N + cols, mask=mask, other=0.0)
                pb = tl.load(PartB + pid * N + cols, mask=mask, other=0.0)
                tl.store(PartW + pid * N + cols, pw + dy * xhat, mask=mask)
                tl.store(PartB + pid * N + cols, pb + dy, mask=mask)


@triton.jit
def _reduce(PartW, PartB, DW, DB, P, N, BLOCK: tl.constexpr):
    cols = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = cols < N
    sw = tl.zeros([BLOCK], dtype=tl.float32)
    sb = tl.zeros([BLOCK], dtype=tl.float32)
    for p in range(0, P):
        sw += tl.load(PartW + p * N + cols, mask=mask, other=0.0)
        sb += tl.load(PartB + p * N + cols, mask=mask, other=0.0)
    tl.store(DW + cols, sw.to(DW.dtype.element_ty), mask=mask)
    tl.store(DB + cols, sb.to(DB.dtype.element_ty), mask=mask)


class _LayerNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        shape = x.shape
        x2 = x.reshape(-1, shape[-1]).contiguous()
        m, n = x2.shape
        y = torch.empty_like(x2)
        mean = torch.empty(m, dtype=torch.float32, device=x.device)
        rstd = torch.empty(m, dtype=torch.float32, device=x.device)
        _fwd[(m,)](x2, y, weight, bias, mean, rstd, x2.stride(0), n, eps, BLOCK=BLOCK)
        ctx.save_for_backward(x2, weight, mean, rstd)
        ctx.shape = shape
        return y.reshape(shape)

    @staticmethod
    def backward(ctx, dy):
        x2, weight, mean, rstd = ctx.saved_tensors
        m, n = x2.shape
        dy2 = dy.reshape(m, n).contiguous()
        dx = torch.empty_like(x2)
        rows = 16
        programs = triton.cdiv(m, rows)
        part_w = torch.zeros((programs, n), dtype=torch.float32, device=x2.device)
        part_b = torch.zeros((programs, n), dtype=torch.float32, device=x2.device)
        _bwd[(programs,)](x2, dy2, dx, weight, mean, rstd, part_w, part_b, x2.stride(0), m, n,
                          ROWS=rows, BLOCK=BLOCK)
        dw = torch.empty_like(weight)
        db = torch.empty_like(weight)
        _reduce[(triton.cdiv(n, BLOCK),)](part_w, part_b, dw, db, programs, n, BLOCK=BLOCK)
        return dx.reshape(ctx.shape), dw, db, None


def layer_norm(x, weight, bias, eps=1e-5):
    return _LayerNorm.apply(x, weight, bias, eps)
