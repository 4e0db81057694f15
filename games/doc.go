// Package games holds games as variational inequalities: zero-sum matrix
// games with their duality gap and exact value, N-player normal-form games
// (Gambit .nfg), monotone continuous games (Cournot, Kelly, quadratic) with
// no-regret learning dynamics, small minimax toys with known answers
// (bilinear, quadratic-bilinear, GAN-like and non-monotone examples), and
// the competitive gradient methods.
//
// # Conventions
//
// A two-player zero-sum game is played between a row player who picks a
// mixed strategy x and receives xᵀAy, and a column player who picks y and
// pays it. The row player maximizes, so the game's value is
// max_x min_y xᵀAy (Gambit and OpenSpiel order: player 1 is the row
// player, A holds player 1's payoffs). As a VI over z = (x, y) the operator
// is the descent direction for both, F(x, y) = (−Ay, Aᵀx), on the product
// of two probability simplices.
//
// An N-player NormalFormGame (read and written in Gambit's .nfg format by
// ReadNFG, LoadNFG and WriteNFG) stores its payoffs in Gambit's order,
// player 1's strategy changing fastest; a mixed profile is one vector,
// player 1's probabilities first. Every player ascends its own expected
// payoff, so its operator is the negated vector of deviation payoffs
// u_i(s, σ_−i) over the product of the players' simplices, and NashGap
// measures Σ_i (best-response payoff − payoff). A two-player constant-sum
// game converts to a MatrixGame with A = player 1's payoffs.
//
// A continuous minimax toy min_x max_y f(x, y) has F = (∇ₓf, −∇ᵧf) with x
// first in z; Toy.Split says where y starts.
//
// An N-player continuous game (ContinuousGame) gives player i a convex
// action set X_i and a loss loss_i(x) of the joint action, convex in x_i;
// as a VI over X_1 × … × X_N its operator is the pseudo-gradient
// F = (∇_{x_i} loss_i)_i and its solutions are the Nash equilibria.
// Cournot, Kelly and QuadraticGame have closed-form equilibria and exact
// Nash gaps (ALGORITHMS.md Part B6); Cournot and QuadraticGame are strongly
// monotone, Kelly only near its equilibrium when the bidders' gains
// differ. MatrixPlay plays a matrix game, and NormalFormPlay any
// NormalFormGame, over mixed strategies. LearningDynamics plays any of
// them repeatedly with one OnlineLearner per player (online gradient
// descent, optimistic gradient, AOG; Hedge and optimistic Hedge on
// simplices), each seeing only the gradient of its
// own loss, and reports every player's external regret and the Nash gap of
// the last and of the average play (ALGORITHMS.md A6).
//
// # Competitive gradient methods
//
// CGD (competitive gradient descent), CGO and OptimisticCGO (competitive
// gradient optimization) are vi.Methods that also use the mixed second
// derivatives of a game: their operator must be a MixedHessian (MixedFunc
// for closed forms; the two-dimensional toys are), a *monotone.Bilinear, or
// an affine operator with Split set (MixedHessianOf). Each step solves a
// linear system in the interaction, matrix-free, by conjugate gradient for
// zero-sum games; Solve counts their operator evaluations, and the methods'
// Work counts their Hessian-vector products.
package games
