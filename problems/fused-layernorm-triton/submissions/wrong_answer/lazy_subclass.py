"""Known bad: returns a lazy tensor subclass that computes on first use (so a timer
around the call sees no work). WA: only a plain torch.Tensor is accepted."""
import torch
import triton
import triton.language as tl


@triton.jit
def _fwd(X, Y, W, B, Mean, Rstd, stride, N, eps, BLOCK_N: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK_N)
    mask = cols < N
    x = tl.load(X + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=0) / N
    diff = tl.where(mask, x - mean, 0.0)
    var = tl.sum(diff * diff, axis=0) / N
    rstd = 1.0 / tl.sqrt(var + eps)
    w = tl.load(W + cols, mask=mask, other=0.0).to(tl.float32)
    b = tl.load(B + cols, mask=mask, other=0.0).to(tl.float32)
    y = diff * rstd * w + b
    tl.store(Y + row * stride + cols, y.to(Y.dtype.element_ty), mask=mask)
    tl.store(Mean + row, mean)
    tl.store(Rstd + row, rstd)


@triton.jit
def _bwd_dx(X, DY, DX, W, Mean, Rstd, PartW, PartB, stride, M, N, ROWS: tl.constexpr,
            BLOCK_N: tl.constexpr):
    pid = tl.program_id(0)
    cols = tl.arange(0, BLOCK_N)
    mask = cols < N
    w = tl.load(W + cols, mask=mask, other=0.0).to(tl.float32)
    acc_w = tl.zeros([BLOCK_N], dtype=tl.float32)
    acc_b = tl.zeros([BLOCK_N], dtype=tl.float32)
    for i in range(ROWS):
        row = pid * ROWS + i
        if row < M:
            x = tl.load(X + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
            dy = tl.load(DY + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
            mean = tl.load(Mean + row)
            rstd = tl.load(Rstd + row)
            xhat = tl.where(mask, (x - mean) * rstd, 0.0)
            wdy = w * dy
            c1 = tl.sum(xhat * wdy, axis=0) / N
            c2 = tl.sum(wdy, axis=0) / N
            dx = (wdy - (xhat * c1 + c2)) * rstd
            tl.store(DX + row * stride + cols, dx.to(DX.dtype.element_ty), mask=mask)
            acc_w += dy * xhat
            acc_b += dy
    tl.store(PartW + pid * N + cols, acc_w, mask=mask)
    tl.store(PartB + pid * N + cols, acc_b, mask=mask)


@triton.jit
def _bwd_dwdb(PartW, PartB, DW, DB, P, N, BLOCK_P: tl.constexpr, BLOCK_C: tl.constexpr):
    pid = tl.program_id(0)
    cols = pid * BLOCK_C + tl.arange(0, BLOCK_C)
    sum_w = tl.zeros([BLOCK_P, BLOCK_C], dtype=tl.float32)
    sum_b = tl.zeros([BLOCK_P, BLOCK_C], dtype=tl.float32)
    for start in range(0, P, BLOCK_P):
        rows = start + tl.arange(0, BLOCK_P)
        mask = (rows[:, None] < P) & (cols[None, :] < N)
        offs = rows[:, None] * N + cols[None, :]
        sum_w += tl.load(PartW + offs, mask=mask, other=0.0)
        sum_b += tl.load(PartB + offs, mask=mask, other=0.0)
    tl.store(DW + cols, tl.sum(sum_w, axis=0).to(DW.dtype.element_ty), mask=cols < N)
    tl.store(DB + cols, tl.sum(sum_b, axis=0).to(DB.dtype.element_ty), mask=cols < N)


class _LayerNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        shape = x.shape
        x2 = x.reshape(-1, shape[-1]).contiguous()
        m, n = x2.shape
        y = torch.empty_like(x2)
        mean = torch.empty(m, dtype=torch.float32, device=x.device)
        rstd = torch.empty(m, dtype=torch.float32, device=x.device)
        block = triton.next_power_of_2(n)
        _fwd[(m,)](x2, y, weight, bias, mean, rstd, x2.stride(0), n, eps, BLOCK_N=block)
        ctx.save_for_backward(x2, weight, mean, rstd)
        ctx.shape = shape
        return y.reshape(shape)

    @staticmethod
    def backward(ctx, dy):
        x2, weight, mean, rstd = ctx.saved_tensors
        m, n = x2.shape
        dy2 = dy.reshape(m, n).contiguous()
        dx = torch.empty_like(x2)
        rows = 8
        programs = triton.cdiv(m, rows)
        part_w = torch.empty((programs, n), dtype=torch.float32, device=x2.device)
        part_b = torch.empty((programs, n), dtype=torch.float32, device=x2.device)
        block = triton.next_power_of_2(n)
        _bwd_dx[(programs,)](x2, dy2, dx, weight, mean, rstd, part_w, part_b, x2.stride(0),
                             m, n, ROWS=rows, BLOCK_N=block)
        dw = torch.empty_like(weight)
        db = torch.empty_like(weight)
        block_c = min(128, block)
        _bwd_dwdb[(triton.cdiv(n, block_c),)](part_w, part_b, dw, db, programs, n,
                                              BLOCK_P=8, BLOCK_C=block_c)
        return dx.reshape(ctx.shape), dw, db, None


class _Lazy(torch.Tensor):
    @staticmethod
    def __new__(cls, thunk, like):
        out = torch.Tensor._make_subclass(cls, torch.empty_like(like), like.requires_grad)
        out._thunk = thunk
        return out


def layer_norm(x, weight, bias, eps=1e-5):
    real = _LayerNorm.apply(x, weight, bias, eps)
    return _Lazy(lambda: real, real)
