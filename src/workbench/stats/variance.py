"""The variance engine of the survey design: linearisation from per-(PSU, group) sums, linear in rows.

R ``survey`` computes the variance of an estimated total from influence values z_i: it sums them to
primary sampling units (PSUs) within strata and takes the with-replacement variance of the PSU totals,
times the finite population correction,

    V = Σ_h (1 - f_h) n_h / (n_h - 1) Σ_{p in h} (T_p - T̄_h)²,   T_p = Σ_{i in p} z_i,

with n_h the PSUs of stratum h and f_h = n_h / N_h (``svyrecvar``, ``onestage``). A calibrated (raked)
design first replaces the influence values by their residuals from a regression on the calibration
auxiliaries X, weighted by the weights before calibration d (Deville & Särndal 1992; ``calibrate``'s
``greg_calibration``): e_i = u_i - x_iᵀβ, β = (Xᵀ D X)⁺ Xᵀ D u, z_i = w_i e_i.

Estimating many groups at once (units, domains) naively needs an n × groups matrix of influence values.
Here u_ig is non-zero only in group g, so every term expands into sums per (PSU, group) cell, per PSU
and per stratum (see :func:`group_variances`); time and memory grow linearly with the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

__all__ = ["DesignStructure", "IndicatorBlocks", "calibration_residuals", "design_structure", "group_means",
           "group_variances", "linearised_variance", "stratified_total_variance"]


@dataclass(frozen=True)
class IndicatorBlocks:
    """Calibration auxiliaries that are category indicators (raking margins), kept as one code per variable.

    The dense matrix has one 0/1 column per category of every variable; the engine never builds it on the
    fast path: every sum it needs is a bincount over the codes.

    Attributes
    ----------
    codes : tuple of ndarray
        Per variable, the category (0 .. levels - 1) of each respondent.
    levels : tuple of int
        Categories per variable.
    """

    codes: tuple = field(repr=False)
    levels: tuple = ()

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.codes[0]) if self.codes else 0, int(sum(self.levels)))

    def dense(self) -> np.ndarray:
        """The respondents × categories 0/1 matrix."""
        matrix = np.zeros(self.shape)
        offset = 0
        for codes, levels in zip(self.codes, self.levels):
            matrix[np.arange(len(codes)), offset + codes] = 1.0
            offset += levels
        return matrix

    def sums(self, index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
        """Σ weights·x per index value (size × categories), one bincount per variable."""
        return np.hstack([np.bincount(index * levels + codes, weights=weights, minlength=size * levels)
                          .reshape(size, levels) for codes, levels in zip(self.codes, self.levels)])

    def cross(self, weights: np.ndarray) -> np.ndarray:
        """Σ weights·x xᵀ (categories × categories), one bincount per pair of variables."""
        blocks = [[np.bincount(a * lb + b, weights=weights, minlength=la * lb).reshape(la, lb)
                   for b, lb in zip(self.codes, self.levels)] for a, la in zip(self.codes, self.levels)]
        return np.block(blocks)


class DesignStructure:
    """Strata and PSUs of the respondents, with the per-PSU variance factors (private to the engine's callers).

    Attributes
    ----------
    psu : ndarray of int
        PSU (0 .. P-1) of each respondent; every respondent is its own PSU without clusters.
    psu_stratum : ndarray of int
        Stratum of each PSU.
    n_psu : ndarray
        PSUs per stratum.
    c_stratum : ndarray
        Per stratum: (1 - f_h) n_h / (n_h - 1), 0 for a stratum with one PSU (``c``: the same per PSU).
    d : ndarray
        Per stratum: (1 - f_h) / (n_h - 1), the factor of the squared stratum total.
    df : int
        Degrees of freedom: PSUs minus strata (R ``degf``).
    rows_are_psus : bool
        Every respondent is its own PSU (no clusters): the engine then needs bincounts only.
    """

    def __init__(self, psu, psu_stratum, n_psu, factor, rows_are_psus: bool = False):
        self.rows_are_psus = rows_are_psus
        self._psu = psu
        self.psu_stratum = psu_stratum
        self.n_psu = n_psu
        with np.errstate(divide="ignore", invalid="ignore"):
            self.c_stratum = np.where(n_psu > 1, factor * n_psu / np.maximum(n_psu - 1, 1), 0.0)
        self.d = np.where(n_psu > 0, self.c_stratum / np.maximum(n_psu, 1), 0.0)
        self.df = int(len(psu_stratum) - np.count_nonzero(n_psu))

    @property
    def psu(self) -> np.ndarray:
        """PSU of each respondent."""
        return np.arange(len(self.psu_stratum)) if self._psu is None else self._psu

    @property
    def c(self):
        """Per PSU (1 - f_h) n_h/(n_h - 1); a number when there is one stratum."""
        return self.c_stratum[0] if len(self.c_stratum) == 1 else self.c_stratum[self.psu_stratum]

    @property
    def n_strata(self) -> int:
        return len(self.n_psu)

    def subset(self, rows: np.ndarray) -> "DesignStructure":
        """The same design restricted to some respondents: their strata and PSUs, every factor unchanged.

        Exact for the variance of estimates whose influence values are zero outside ``rows`` (no calibration):
        those respondents add nothing to any PSU total, and n_h, f_h and the degrees of freedom stay those of
        the whole sample.
        """
        part = object.__new__(DesignStructure)
        part.__dict__.update(self.__dict__)
        part.psu_stratum = self.psu_stratum[rows] if self.rows_are_psus else self.psu_stratum
        part._psu = None if self._psu is None else self._psu[rows]
        return part

    def stratum_matrix(self) -> sparse.csr_matrix:
        """(strata × PSUs) indicator matrix."""
        P = len(self.psu_stratum)
        return sparse.csr_matrix((np.ones(P), (self.psu_stratum, np.arange(P))), shape=(self.n_strata, P))


def design_structure(n: int, strata: np.ndarray | None = None, clusters: np.ndarray | None = None,
                     fpc: np.ndarray | None = None) -> DesignStructure:
    """PSUs within strata for ``n`` respondents, and the per-stratum correction factors.

    Parameters
    ----------
    n : int
        Respondents.
    strata : ndarray of int, optional
        Stratum (0 .. H-1) of each respondent; one stratum when None.
    clusters : ndarray of int, optional
        Cluster of each respondent; a cluster is a PSU within its stratum (clusters with the same code in
        two strata are two PSUs, R's ``nest=TRUE``). Every respondent is its own PSU when None.
    fpc : ndarray, optional
        Per stratum 1 - f_h (f_h = n_h / N_h); 1 when None.

    Returns
    -------
    DesignStructure

    Raises
    ------
    ValueError
        Arrays of the wrong length.

    Notes
    -----
    Degrees of freedom are PSUs minus strata, as R ``survey``'s ``degf``.

    References
    ----------
    Lumley, T. (2010). Complex Surveys, section 2.2 and appendix C.
    """
    strata = np.zeros(n, dtype=np.int64) if strata is None else np.asarray(strata, dtype=np.int64)
    if len(strata) != n:
        raise ValueError(f"`strata` has {len(strata)} values for {n} respondents.")
    n_strata = int(strata.max()) + 1 if n else 0
    if clusters is None:
        psu = None  # every respondent is its own PSU
        psu_stratum = strata
    else:
        clusters = np.asarray(clusters, dtype=np.int64)
        if len(clusters) != n:
            raise ValueError(f"`clusters` has {len(clusters)} values for {n} respondents.")
        pair = strata * (int(clusters.max()) + 1) + clusters
        uniq, psu = np.unique(pair, return_inverse=True)
        psu = psu.astype(np.int64)
        psu_stratum = uniq // (int(clusters.max()) + 1)
    n_psu = np.bincount(psu_stratum, minlength=n_strata).astype(float)
    factor = np.ones(n_strata) if fpc is None else np.asarray(fpc, dtype=float)
    return DesignStructure(psu, psu_stratum, n_psu, factor, rows_are_psus=clusters is None)


def _rowdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("gp,gp->g", a, b)


def group_variances(u: np.ndarray, w: np.ndarray, group: np.ndarray, n_groups: int, structure: DesignStructure, *,
                    calibration: np.ndarray | None = None, start_weights: np.ndarray | None = None,
                    pairs: Sequence[tuple[int, int]] | None = None):
    """Variance of the weighted total Σ_{i in g} w_i u_i of every group g, without an n × groups matrix.

    Parameters
    ----------
    u : ndarray
        Influence value of each respondent for its own group (for a mean (y_i - ȳ_g) / Σ_g w, for a total y_i).
    w : ndarray
        Respondent weights.
    group : ndarray of int
        Group (0 .. n_groups - 1) of each respondent.
    n_groups : int
    structure : DesignStructure
        Strata, PSUs and correction factors (:func:`design_structure`).
    calibration : ndarray, shape (respondents, columns), optional
        Calibration auxiliaries X; the influence values are then replaced by their residuals.
    start_weights : ndarray, optional
        Weights before calibration d, the weights of the residual regression (default ``w``).
    pairs : sequence of (a, b), optional
        Also return the covariance of the totals of groups a and b for each pair.

    Returns
    -------
    ndarray, or (ndarray, ndarray) with ``pairs``
        Variance per group (and covariance per pair).

    Raises
    ------
    ValueError
        Arrays that are not aligned.

    Notes
    -----
    With T_pg = A_pg - M_pᵀβ_g the total of z over PSU p for group g, A_pg = Σ_{i in p, g} w_i u_i and
    M_p = Σ_{i in p} w_i x_i, the variance is Σ_h c_h Σ_{p in h} T_pg² - Σ_h d_h (Σ_{p in h} T_pg)² with
    c_h = (1 - f_h) n_h/(n_h - 1), d_h = c_h / n_h. Expanding the squares leaves sums over the (PSU, group)
    cells that hold respondents (a sparse matrix with at most one entry per respondent), the G × p matrices
    B = Aᵀ(cM) and B_h = A_hᵀ(d M_h) and the p × p matrices K = Mᵀ(cM) and L = M_hᵀ(d M_h)::

        V_g = Σ_p c_p A_pg² - Σ_h d_h A_hg² - 2β_g·(B_g - B_h,g) + β_gᵀ(K - L)β_g.

    β_g = (Xᵀ D X)⁺ Σ_{i in g} d_i x_i u_i is the calibration regression (R ``calibrate``, Deville & Särndal
    1992). Without clusters every respondent is its own PSU and each term is a bincount over respondents or
    (stratum, group) cells; raking auxiliaries given as category codes (:class:`IndicatorBlocks`) make the
    X moments bincounts too. With clusters A is a sparse matrix with at most one entry a respondent. Time
    and memory are O(n p + G p²). Checked against R ``survey`` (``svymean``, ``svytotal``, ``svyby`` on
    ``api``; raked ``?rake`` designs with and without clusters) in ``tests/stats/test_survey.py`` and
    against the n × G dense computation in a hypothesis test.

    References
    ----------
    Lumley, T. (2010). Complex Surveys, appendix C. Deville, J.-C. & Särndal, C.-E. (1992). Calibration
    estimators in survey sampling. JASA 87(418).
    """
    u = np.asarray(u, dtype=float)
    w = np.asarray(w, dtype=float)
    group = np.asarray(group, dtype=np.int64)
    n = len(u)
    if len(w) != n or len(group) != n or len(structure.psu_stratum if structure.rows_are_psus else structure.psu) != n:
        raise ValueError("`u`, `w`, `group` and the design structure must describe the same respondents.")
    if calibration is not None and calibration.shape[0] != n:
        raise ValueError(f"The calibration has {calibration.shape[0]} rows for {n} respondents.")
    pairs = None if pairs is None else np.asarray(list(pairs), dtype=np.int64).reshape(-1, 2)
    if structure.rows_are_psus:
        return _row_psu_variances(u, w, group, n_groups, structure, calibration, start_weights, pairs)
    if isinstance(calibration, IndicatorBlocks):
        calibration = calibration.dense()
    return _cluster_variances(u, w, group, n_groups, structure, calibration, start_weights, pairs)


def _stratum_group_cells(strata, group, values, n_strata, n_groups):
    """Sums of ``values`` per (stratum, group) cell that holds respondents: (stratum, group, sum) arrays."""
    if n_strata * n_groups <= 4 * len(group) + 1024:
        sums = np.bincount(strata * n_groups + group, weights=values, minlength=n_strata * n_groups)
        present = np.bincount(strata * n_groups + group, minlength=n_strata * n_groups) > 0
        cells = np.flatnonzero(present)
        return cells // n_groups, cells % n_groups, sums[cells]
    cells, inverse = np.unique(strata * n_groups + group, return_inverse=True)
    return cells // n_groups, cells % n_groups, np.bincount(inverse, weights=values, minlength=len(cells))


def _column_sums(index, weights, rows, size):
    """Σ weights·x_j per index value for every row x_j of ``rows`` (p × n, contiguous): one bincount each."""
    return np.column_stack([np.bincount(index, weights=weights * row, minlength=size) for row in rows])


def _row_psu_variances(u, w, group, n_groups, structure, calibration, start_weights, pairs):
    """Every respondent its own PSU: bincounts over respondents and (stratum, group) cells only."""
    strata = structure.psu_stratum
    c, d = structure.c, structure.d
    wu = w * u
    if np.ndim(c) == 0:  # one stratum: the factor is a number
        variance = c * np.bincount(group, weights=wu * wu, minlength=n_groups)
    else:
        variance = np.bincount(group, weights=c * wu * wu, minlength=n_groups)
    if structure.n_strata == 1:
        cell_a = np.bincount(group, weights=wu, minlength=n_groups)
        cell_h, cell_g = np.zeros(n_groups, dtype=np.int64), np.arange(n_groups)
    else:
        cell_h, cell_g, cell_a = _stratum_group_cells(strata, group, wu, structure.n_strata, n_groups)
    variance = variance - np.bincount(cell_g, weights=d[cell_h] * cell_a**2, minlength=n_groups)
    covariance = None
    if pairs is not None:
        Ah = sparse.csc_matrix((cell_a, (cell_h, cell_g)), shape=(structure.n_strata, n_groups))
        a, b = pairs[:, 0], pairs[:, 1]
        # different groups share no respondent (no row term); the same group's is its own
        covariance = (np.where(a == b, np.bincount(group, weights=c * wu * wu, minlength=n_groups)[a] if a.size else 0.0,
                               0.0)
                      - np.asarray(Ah[:, a].multiply(Ah[:, b]).T @ d, dtype=float).ravel())
    if calibration is not None:
        dw = w if start_weights is None else np.asarray(start_weights, dtype=float)
        one = np.zeros(len(u), dtype=np.int64)
        if isinstance(calibration, IndicatorBlocks):  # raking: bincounts over the category codes
            X = calibration
            gram = X.cross(dw)
            beta_sums = X.sums(group, dw * u, n_groups)
            Mh = X.sums(one if structure.n_strata == 1 else strata, w, structure.n_strata)
            B = X.sums(group, c * wu * w, n_groups)
            K = X.cross(c * w * w)
        else:
            X = np.asarray(calibration, dtype=float)
            gram = (X * dw[:, None]).T @ X
            beta_sums = _column_sums(group, dw * u, X.T, n_groups)
            Mh = (w @ X)[None, :] if structure.n_strata == 1 else _column_sums(strata, w, X.T, structure.n_strata)
            B = _column_sums(group, c * wu * w, X.T, n_groups)
            K = (X * (c * w * w)[:, None]).T @ X
        beta = beta_sums @ np.linalg.pinv(gram)  # G × p (the Gram matrix is symmetric)
        B -= _column_sums(cell_g, cell_a * d[cell_h], Mh[cell_h].T, n_groups)
        KL = K - Mh.T @ (Mh * d[:, None])
        variance = variance - 2 * _rowdot(beta, B) + _rowdot(beta @ KL, beta)
        if pairs is not None:
            ba, bb = beta[pairs[:, 0]], beta[pairs[:, 1]]
            covariance = covariance - _rowdot(ba, B[pairs[:, 1]]) - _rowdot(bb, B[pairs[:, 0]]) + _rowdot(ba @ KL, bb)
    variance = np.maximum(variance, 0.0)
    return (variance, covariance) if pairs is not None else variance


def _cluster_variances(u, w, group, n_groups, structure, calibration, start_weights, pairs):
    """Clusters: sparse (PSU × group) sums; at most one entry per respondent."""
    P = len(structure.psu_stratum)
    c, d = structure.c_stratum[structure.psu_stratum], structure.d
    A = sparse.csc_matrix((w * u, (structure.psu, group)), shape=(P, n_groups))
    A.sum_duplicates()
    H = structure.stratum_matrix()
    Ah = (H @ A).tocsc()
    variance = np.asarray(A.multiply(A).T @ c - Ah.multiply(Ah).T @ d, dtype=float).ravel()
    covariance = None
    if pairs is not None:
        a, b = pairs[:, 0], pairs[:, 1]
        covariance = np.asarray(A[:, a].multiply(A[:, b]).T @ c - Ah[:, a].multiply(Ah[:, b]).T @ d,
                                dtype=float).ravel()
    if calibration is not None:
        X = np.asarray(calibration, dtype=float)
        dw = w if start_weights is None else np.asarray(start_weights, dtype=float)
        dX = X * dw[:, None]
        gram_inverse = np.linalg.pinv(X.T @ dX)
        U = sparse.csr_matrix((u, (group, np.arange(len(u)))), shape=(n_groups, len(u)))
        beta = np.asarray(U @ dX) @ gram_inverse  # G × p (the Gram inverse is symmetric)
        M = np.zeros((P, X.shape[1]))
        np.add.at(M, structure.psu, X * w[:, None])
        Mh = np.asarray(H @ M)
        cM, dMh = M * c[:, None], Mh * d[:, None]
        B = np.asarray(A.T @ cM) - np.asarray(Ah.T @ dMh)
        KL = M.T @ cM - Mh.T @ dMh
        variance = variance - 2 * _rowdot(beta, B) + _rowdot(beta @ KL, beta)
        if pairs is not None:
            ba, bb = beta[pairs[:, 0]], beta[pairs[:, 1]]
            covariance = covariance - _rowdot(ba, B[pairs[:, 1]]) - _rowdot(bb, B[pairs[:, 0]]) + _rowdot(ba @ KL, bb)
    variance = np.maximum(variance, 0.0)
    return (variance, covariance) if pairs is not None else variance


def group_means(y: np.ndarray, w: np.ndarray, group: np.ndarray, n_groups: int, structure: DesignStructure, *,
                in_base: np.ndarray | None = None, calibration: np.ndarray | None = None,
                start_weights: np.ndarray | None = None, total: bool = False,
                pairs: Sequence[tuple[int, int]] | None = None):
    """Weighted means (or totals) per group with their linearisation variances, linear in the rows.

    Parameters
    ----------
    y : ndarray
        Value of each respondent (any value outside the base).
    w : ndarray
        Respondent weights.
    group : ndarray of int
        Group of each respondent (any valid group outside the base).
    n_groups : int
    structure : DesignStructure
        Strata and PSUs of all respondents.
    in_base : ndarray of bool, optional
        Respondents in the base of the estimate; the others stay in the sample as zeros (domain estimation,
        R ``svymean(..., na.rm=TRUE)``). All when None.
    calibration, start_weights : ndarrays, optional
        Calibration auxiliaries and the weights before calibration.
    total : bool
        Estimate totals Σ w y instead of means.
    pairs : sequence of (a, b), optional
        Also return the covariance of the estimates of groups a and b.

    Returns
    -------
    (estimate, variance) or (estimate, variance, covariance) : ndarrays

    Raises
    ------
    ValueError
        Arrays that are not aligned.

    Notes
    -----
    Mean of group g: ȳ_g = Σ_g w y / Σ_g w with influence values u_i = (y_i - ȳ_g) / Σ_g w (R ``svymean``);
    total: Σ_g w y with u_i = y_i (``svytotal``). Variances by :func:`group_variances`.

    References
    ----------
    Lumley, T. (2010). Complex Surveys, ch. 2 and appendix C.
    """
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    group = np.asarray(group, dtype=np.int64)
    if in_base is None:
        wk, yk = w, y
    else:
        keep = np.asarray(in_base, dtype=bool)
        wk, yk = w * keep, np.where(keep, y, 0.0)
    wsum = np.bincount(group, weights=wk, minlength=n_groups)
    wy = np.bincount(group, weights=wk * yk, minlength=n_groups)
    if total:
        est, u = wy, yk
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            est = wy / wsum
            u = (yk - est[group]) * (1 / wsum)[group]
        if in_base is not None:
            u = u * keep
    # Respondents outside the base keep their weight: under calibration their residual -x'β counts (R).
    out = group_variances(u, w, group, n_groups, structure, calibration=calibration, start_weights=start_weights,
                          pairs=pairs)
    return (est, *out) if pairs is not None else (est, out)


def stratified_total_variance(z: np.ndarray, strata: np.ndarray | None = None) -> np.ndarray:
    """With-replacement variance of the totals of ``z`` (respondents × statistics) within strata (dense).

    Parameters
    ----------
    z : ndarray, shape (respondents,) or (respondents, statistics)
        Weighted influence values.
    strata : ndarray of int, optional
        Stratum of each respondent; one stratum when None.

    Returns
    -------
    ndarray or float
        One variance per statistic.

    Raises
    ------
    IndexError
        ``strata`` not aligned with ``z``.

    Notes
    -----
    Σ_h n_h/(n_h - 1) Σ_{i in h} (z_i - z̄_h)², the ultimate-cluster estimator of R ``survey`` with
    every respondent its own cluster; a stratum with one respondent contributes nothing. The dense
    form (memory respondents × statistics), kept as the reference the engine is tested against.

    References
    ----------
    Lumley, T. (2010). Complex Surveys, section 2.2 and appendix C.
    """
    z = np.asarray(z, dtype=float)
    flat = z.ndim == 1
    z = z[:, None] if flat else z
    if strata is None:
        strata = np.zeros(len(z), dtype=np.int64)
    n_h = np.bincount(strata)
    means = np.zeros((len(n_h), z.shape[1]))
    np.add.at(means, strata, z)
    means /= np.maximum(n_h, 1)[:, None]
    dev = z - means[strata]
    factor = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0)
    variance = (factor[strata][:, None] * dev**2).sum(axis=0)
    return variance[0] if flat else variance


def calibration_residuals(u: np.ndarray, w: np.ndarray, calibration: np.ndarray | None) -> np.ndarray:
    """Influence values ``u`` (respondents × statistics) minus their weighted regression on the auxiliaries (dense).

    Parameters
    ----------
    u : ndarray, shape (respondents, statistics)
    w : ndarray
        Weights of the regression: the weights before calibration (R ``calibrate``).
    calibration : ndarray or None
        Calibration auxiliaries (respondents × columns); None returns ``u`` unchanged.

    Returns
    -------
    ndarray

    Raises
    ------
    numpy.linalg.LinAlgError
        Only if the pseudo-inverse fails to converge.

    Notes
    -----
    e = u - X β, β = (X' W X)⁺ X' W u: the GREG projection that makes a calibrated estimator's
    variance that of its residuals. The dense form, kept as the reference the engine is tested against.

    References
    ----------
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. JASA 87(418).
    """
    if calibration is None:
        return u
    xw = calibration * w[:, None]
    beta = np.linalg.pinv(calibration.T @ xw) @ (xw.T @ u)
    return u - calibration @ beta


def linearised_variance(y: np.ndarray, w: np.ndarray, group: np.ndarray, n_groups: int,
                        calibration: np.ndarray | None = None,
                        strata: np.ndarray | None = None, *, start_weights: np.ndarray | None = None,
                        fpc: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means per group and their linearisation variances (every respondent in the base).

    Parameters
    ----------
    y : ndarray
        Score of each respondent.
    w : ndarray
        Weight of each respondent.
    group : ndarray of int
        Group (0 .. n_groups - 1) of each respondent.
    n_groups : int
    calibration : ndarray, optional
        Calibration auxiliaries (rows × columns) of these respondents.
    strata : ndarray of int, optional
        Stratum of each respondent.
    start_weights : ndarray, optional
        Weights before calibration (the regression weights); ``w`` when None.
    fpc : ndarray, optional
        Per stratum 1 - n_h / N_h.

    Returns
    -------
    (mean, variance) : ndarrays, one value per group

    Raises
    ------
    ValueError
        Arrays that are not aligned.

    Notes
    -----
    :func:`group_means` with every respondent its own PSU; linear in the rows (no respondents × groups
    matrix). Checked against R ``survey::svymean`` and ``svyby`` (``tests/stats/test_survey.py``).

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, ch. 2 and 7.
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. JASA 87(418).
    """
    structure = design_structure(len(y), strata, None, fpc)
    return group_means(y, w, group, n_groups, structure, calibration=calibration, start_weights=start_weights)
