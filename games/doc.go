// Package games holds games as variational inequalities: zero-sum matrix
// games with their duality gap and exact value, and small minimax toys with
// known answers (bilinear games, quadratic-bilinear games).
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
// A continuous minimax toy min_x max_y f(x, y) has F = (∇ₓf, −∇ᵧf) with x
// first in z; Toy.Split says where y starts.
//
// An N-player continuous game (ContinuousGame) gives player i a convex
// action set X_i and a loss loss_i(x) of the joint action, convex in x_i;
// as a VI over X_1 × … × X_N its operator is the pseudo-gradient
// F = (∇_{x_i} loss_i)_i and its solutions are the Nash equilibria.
// Cournot, Kelly and QuadraticGame are monotone families with closed-form
// equilibria and exact Nash gaps (ALGORITHMS.md Part B6), and MatrixPlay
// plays a matrix game over mixed strategies. LearningDynamics plays any of
// them repeatedly with one OnlineLearner per player (online gradient
// descent, optimistic gradient, AOG), each seeing only the gradient of its
// own loss, and reports every player's external regret and the Nash gap of
// the last and of the average play (ALGORITHMS.md A6).
package games
