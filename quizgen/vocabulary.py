"""The built-in vocabularies: the chapter's topics and the named misconceptions.

A bank file may extend either list by declaring new entries under `topics:` or
`misconceptions:`; a question may only use ids that are declared somewhere.

The entries are built with `model_construct` (no validation at import, which
would build the models' schemas on the drill's start-up path);
tests/test_vocabulary.py validates every one of them.
"""

from __future__ import annotations

from .models import Misconception, Topic

BUILTIN_TOPICS: tuple[Topic, ...] = (
    Topic.model_construct(
        id="definition",
        title="What weight initialisation is",
        description="Setting W and b before training, why scale matters, "
        "and why all-zero weights never break symmetry.",
    ),
    Topic.model_construct(
        id="xavier",
        title="Xavier / Glorot initialisation",
        description="Var(W) = 2/(n_in + n_out); fits symmetric activations such as tanh and sigmoid.",
    ),
    Topic.model_construct(
        id="he",
        title="He / Kaiming initialisation",
        description="Var(W) = 2/n_in; compensates for ReLU halving the signal's second moment.",
    ),
    Topic.model_construct(
        id="vanishing",
        title="Vanishing gradients",
        description="Weights too small: the per-layer factor r = n Var(W) < 1 shrinks signals "
        "like r^L and early layers stop learning.",
    ),
    Topic.model_construct(
        id="exploding",
        title="Exploding gradients",
        description="Weights too large: r > 1 grows signals like r^L until the loss is NaN or Inf.",
    ),
    Topic.model_construct(
        id="xavier-uniform",
        title="Xavier uniform range",
        description="W ~ U[-L, L] with L = sqrt(6/(n_in + n_out)); a uniform on [-L, L] has variance L^2/3.",
    ),
    Topic.model_construct(
        id="layer-size",
        title="Layer sizes and fans",
        description="Reading n_in and n_out off a layer and computing n_in + n_out "
        "(and fan-in/fan-out of convolutions).",
    ),
    Topic.model_construct(
        id="scenario",
        title="Diagnosing training",
        description="From a symptom in a real training run to the initialisation "
        "decision to check or change.",
    ),
)

BUILTIN_MISCONCEPTIONS: tuple[Misconception, ...] = (
    Misconception.model_construct(
        id="product-for-sum",
        title="n_in * n_out instead of n_in + n_out",
        description="Xavier averages the fan-in and fan-out: their sum appears in the "
        "denominator, never their product.",
    ),
    Misconception.model_construct(
        id="dropped-two",
        title="Dropping the 2: 1/(n_in + n_out) or 1/n_in",
        description="Xavier's variance is 2/(n_in + n_out) (the harmonic mean of 1/n_in and "
        "1/n_out keeps the 2), and He's is 2/n_in (the 2 compensates for ReLU).",
    ),
    Misconception.model_construct(
        id="fan-in-only",
        title="Using only n_in in Xavier: 2/n_in",
        description="2/n_in is He's variance; Xavier averages both fans: 2/(n_in + n_out).",
    ),
    Misconception.model_construct(
        id="fan-out-only",
        title="Using 2/n_out",
        description="He initialisation (fan-in mode) divides by n_in, the number of inputs "
        "each unit sums over.",
    ),
    Misconception.model_construct(
        id="variance-for-std",
        title="Variance where the standard deviation was asked",
        description="The standard deviation is the square root of the variance.",
    ),
    Misconception.model_construct(
        id="std-for-variance",
        title="Standard deviation where the variance was asked",
        description="The variance is the square of the standard deviation: no square root.",
    ),
    Misconception.model_construct(
        id="variance-for-limit",
        title="Variance where the uniform limit was asked",
        description="A uniform on [-L, L] has variance L^2/3, so L = sqrt(3 Var(W)), not Var(W).",
    ),
    Misconception.model_construct(
        id="std-for-limit",
        title="Standard deviation where the uniform limit was asked",
        description="The uniform limit is sqrt(3) times the standard deviation, because a "
        "uniform on [-L, L] has variance L^2/3.",
    ),
    Misconception.model_construct(
        id="limit-for-variance",
        title="Uniform limit where the variance was asked",
        description="The limit L of U[-L, L] is sqrt(3 Var(W)); the variance is L^2/3.",
    ),
    Misconception.model_construct(
        id="limit-for-std",
        title="Uniform limit where the standard deviation was asked",
        description="The uniform limit is sqrt(3) times the standard deviation, so it overstates "
        "the normal distribution's std by that factor.",
    ),
    Misconception.model_construct(
        id="forgot-sqrt",
        title="Forgetting the square root of the uniform limit",
        description="6/(n_in + n_out) is L^2; the limit itself is its square root.",
    ),
    Misconception.model_construct(
        id="sqrt3-for-sqrt6",
        title="sqrt(3/...) instead of sqrt(6/...)",
        description="L^2/3 = 2/(n_in + n_out) gives L = sqrt(6/(n_in + n_out)); sqrt(3/...) "
        "forgets the 2 of Xavier's variance.",
    ),
    Misconception.model_construct(
        id="xavier-for-relu",
        title="Xavier for ReLU layers",
        description="ReLU zeroes half the signal, so Xavier's variance is too small by about a "
        "factor 2 per layer; He initialisation doubles it.",
    ),
    Misconception.model_construct(
        id="he-for-tanh",
        title="He for tanh or sigmoid layers",
        description="Symmetric activations do not halve the signal; He's doubled variance "
        "pushes tanh and sigmoid into saturation. Xavier fits them.",
    ),
    Misconception.model_construct(
        id="zero-init",
        title="Initialising weights to zero",
        description="All-zero weights give every unit the same output and the same gradient, "
        "so the units stay identical: symmetry is never broken.",
    ),
    Misconception.model_construct(
        id="bigger-is-better",
        title="Larger initial weights learn faster",
        description="Too-large weights make r = n Var(W) > 1, so signals and gradients grow like "
        "r^L and explode (NaN/Inf), or saturate tanh and sigmoid.",
    ),
    Misconception.model_construct(
        id="smaller-is-safer",
        title="Tiny weights are always safe",
        description="Too-small weights make r < 1, so signals and gradients shrink like r^L and "
        "early layers stop learning.",
    ),
    Misconception.model_construct(
        id="vanishing-exploding-swap",
        title="Confusing vanishing with exploding",
        description="Small weights (r < 1) vanish; large weights (r > 1) explode.",
    ),
    Misconception.model_construct(
        id="zero-bias-breaks-symmetry",
        title="Zero biases cause the symmetry problem",
        description="Biases are usually initialised to 0 without harm: random weights already "
        "break symmetry. Zero weights are the problem.",
    ),
    Misconception.model_construct(
        id="unrelated-hyperparameter",
        title="Blaming an unrelated setting",
        description="Data size, batch size or augmentation do not fix a bad starting scale; "
        "check initialisation and learning rate first.",
    ),
)
