package games

import (
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// diracGANBoxL is a Lipschitz constant of the unpenalized Dirac-GAN
// operator on [−2, 2]²: the maximum of ‖JF‖₂ over an 801×801 grid of the
// box is 1.42182, rounded up.
const diracGANBoxL = 1.43

// DiracGAN returns the Dirac-GAN of Mescheder, Geiger and Nowozin ("Which
// training methods for GANs do actually converge?", ICML 2018;
// ALGORITHMS.md Part II B3): the data are a Dirac at 0, the generator a
// Dirac at θ, the discriminator D(x) = ψx, and the standard GAN loss
// f(t) = −log(1 + e^{−t}) is played as min_θ max_ψ f(ψθ) + f(0), with a
// zero-centred gradient penalty (γ/2)ψ² on the discriminator when
// gamma > 0. As a VI over z = (θ, ψ), with σ(t) = 1/(1 + e^{−t}),
//
//	F(θ, ψ) = ( ψ·σ(−ψθ),  −θ·σ(−ψθ) + γψ ),
//
// on the box [−2, 2]², started at (1, 1) as in the authors' notebook. The
// unique equilibrium is (0, 0), where JF = [[0, 1/2], [−1/2, γ]]. F is not
// monotone (the symmetric part of JF is diag(−ψ²s(1−s), θ²s(1−s) + γ),
// s = σ(−ψθ)), so no global theory covers it. Without the penalty the
// linearization is a rotation: simultaneous gradient descent-ascent spirals
// out (|1 + hλ| = √(1 + h²/4) > 1) while extragradient and optimistic
// gradient converge; with γ > 0 the equilibrium attracts gradient
// descent-ascent too, for steps h < 4γ when γ < 1. L = 1.43 + γ bounds
// ‖JF‖₂ on the box (a grid maximum for γ = 0, rounded up, plus γ).
// gamma must be a finite number ≥ 0.
func DiracGAN(gamma float64) (*Toy, error) {
	if !(gamma >= 0) || math.IsInf(gamma, 1) {
		return nil, fmt.Errorf("games: dirac-gan: gamma = %v, want a finite number ≥ 0", gamma)
	}
	f := func(dst, z []float64) {
		theta, psi := z[0], z[1]
		s := sigmoidNeg(psi * theta)
		dst[0] = psi * s
		dst[1] = -theta*s + gamma*psi
	}
	l := diracGANBoxL + gamma
	op := &plane{f: f, l: l, jac: func(z []float64) (a, b, c, d float64) {
		theta, psi := z[0], z[1]
		u := psi * theta
		s := sigmoidNeg(u)
		ds := s * (1 - s) // −d/du σ(−u)
		return -psi * psi * ds, s - u*ds, -s + u*ds, theta*theta*ds + gamma
	}}
	box := vi.Box{Lo: []float64{-2, -2}, Hi: []float64{2, 2}}
	return &Toy{Problem: &vi.Problem{F: op, C: box, Z0: []float64{1, 1}}, Solution: []float64{0, 0}, Split: 1, L: l}, nil
}

// sigmoidNeg returns σ(−u) = 1/(1 + e^u), without overflow for large u.
func sigmoidNeg(u float64) float64 {
	if u > 0 {
		e := math.Exp(-u)
		return e / (1 + e)
	}
	return 1 / (1 + math.Exp(u))
}

// LinearWGAN returns the linear WGAN that learns the mean of a Gaussian
// (Daskalakis, Ilyas, Syrgkanis and Zeng, "Training GANs with optimism",
// ICLR 2018; ALGORITHMS.md Part II B4.1): data x ~ N(v, I), generator
// G(u) = u + θ, discriminator D(x) = ⟨w, x⟩, whose population game is
// min_θ max_w ⟨w, v − θ⟩ on R² × R² with v = (3, 4). As a VI over
// z = (θ, w),
//
//	F(θ, w) = (−w, θ − v),
//
// a skew (monotone, not strongly) affine operator with L = 1, started at
// θ = (1.7, 1.7), w = (1.4, 1.4) as in the authors' notebook. The unique
// equilibrium is θ = v, w = 0. Gradient descent-ascent spirals away from
// it; optimistic gradient and extragradient converge linearly.
func LinearWGAN() *Toy {
	m := mat.NewDense(4, 4, []float64{
		0, 0, -1, 0,
		0, 0, 0, -1,
		1, 0, 0, 0,
		0, 1, 0, 0,
	})
	op, err := monotone.NewAffine(m, []float64{0, 0, -3, -4})
	if err != nil {
		panic(err) // a fixed, valid matrix
	}
	return &Toy{Problem: &vi.Problem{F: op, Z0: []float64{1.7, 1.7, 1.4, 1.4}}, Solution: []float64{3, 4, 0, 0}, Split: 2, L: 1}
}
