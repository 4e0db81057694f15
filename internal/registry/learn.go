package registry

import (
	"fmt"
	"strings"

	"github.com/saddlepoint/saddle/games"
)

// Play returns the instance as a game for repeated play by online
// learners: a matrix game or a .nfg game over mixed strategies, or a
// continuous game. It fails for problems that are not games.
func Play(in *Instance) (games.ContinuousGame, error) {
	switch {
	case in.Continuous != nil:
		return in.Continuous, nil
	case in.NormalForm != nil:
		return games.NewNormalFormPlay(in.NormalForm)
	case in.Game != nil:
		return games.NewMatrixPlay(in.Game)
	}
	return nil, fmt.Errorf("registry: %s is not a game that players can learn in repeated play (want a matrix game, a .nfg file, cournot, kelly or quadratic-game)", in.Name)
}

// A LearnerInfo describes one online learner of `saddle learn`.
type LearnerInfo struct {
	Name, Rule, Summary string
	// Simplex marks learners whose actions must be mixed strategies.
	Simplex bool
	New     func(step float64) games.OnlineLearner
}

// Learners returns the online learners.
func Learners() []LearnerInfo {
	return []LearnerInfo{
		{Name: "ogd", Rule: "games.OnlineGradientDescent", Summary: "projected online gradient descent (Zinkevich 2003)",
			New: func(step float64) games.OnlineLearner { return &games.OnlineGradientDescent{Step: step} }},
		{Name: "og", Rule: "games.OnlineOptimisticGradient", Summary: "optimistic gradient, the last gradient as prediction",
			New: func(step float64) games.OnlineLearner { return &games.OnlineOptimisticGradient{Step: step} }},
		{Name: "aog", Rule: "games.OnlineAcceleratedOptimistic", Summary: "accelerated optimistic gradient (Cai & Zheng 2023)",
			New: func(step float64) games.OnlineLearner { return &games.OnlineAcceleratedOptimistic{Step: step} }},
		{Name: "hedge", Rule: "games.OnlineHedge", Summary: "exponential weights (Freund & Schapire 1997)", Simplex: true,
			New: func(step float64) games.OnlineLearner { return &games.OnlineHedge{Step: step} }},
		{Name: "optimistic-hedge", Rule: "games.OnlineHedge{Optimistic}", Summary: "optimistic Hedge, OMWU per player", Simplex: true,
			New: func(step float64) games.OnlineLearner { return &games.OnlineHedge{Step: step, Optimistic: true} }},
	}
}

// Learner returns the learner named name with step step.
func Learner(name string, step float64) (games.OnlineLearner, LearnerInfo, error) {
	var names []string
	for _, l := range Learners() {
		if l.Name == name {
			return l.New(step), l, nil
		}
		names = append(names, l.Name)
	}
	return nil, LearnerInfo{}, fmt.Errorf("registry: unknown learner %q (learners: %s)", name, strings.Join(names, ", "))
}
