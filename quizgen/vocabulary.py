"""The built-in vocabularies: the chapter's topics, the named misconceptions, and the claims.

A bank file may extend the topics and misconceptions by declaring new entries under
`topics:` or `misconceptions:`; a question may only use ids that are declared
somewhere. Claims are built in only: each is a statement about how a network
behaves that a simulation in quizgen/simulation.py checks (tests/test_claims.py
runs them all), so a question that names one teaches something that was measured.

The entries are built with `model_construct` (no validation at import, which
would build the models' schemas on the drill's start-up path);
tests/test_vocabulary.py validates every one of them.
"""

from __future__ import annotations

from .models import Claim, Misconception, Topic

BUILTIN_TOPICS: tuple[Topic, ...] = (
    Topic.model_construct(
        id="definition",
        title="What weight initialisation is",
        description="Setting W and b before training, why scale matters, "
        "and why equal weights in every layer never break symmetry.",
    ),
    Topic.model_construct(
        id="xavier",
        title="Xavier / Glorot initialisation",
        description="Var(W) = 2/(n_in + n_out); fits symmetric activations such as tanh and sigmoid.",
    ),
    Topic.model_construct(
        id="he",
        title="He / Kaiming initialisation",
        description="Var(W) = 2/n_in in fan-in mode (2/n_out in fan-out mode); compensates for ReLU halving "
        "the signal's second moment.",
    ),
    Topic.model_construct(
        id="vanishing",
        title="Vanishing gradients",
        description="Weights too small: the per-layer factor r = n_in Var(W) < 1 shrinks the activations and "
        "the backpropagated gradient like r^L, and every layer's weight gradient becomes tiny (in deep sigmoid "
        "networks the early layers' most of all).",
    ),
    Topic.model_construct(
        id="exploding",
        title="Exploding gradients",
        description="Weights too large: in ReLU and linear layers r > 1 grows signals like r^L until the loss "
        "is NaN or Inf; tanh saturates instead.",
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
    Topic.model_construct(
        id="frameworks",
        title="Initialisation in PyTorch code",
        description="Reading torch.nn.init calls and layer definitions: fans of nn.Linear and nn.Conv2d, "
        "modes, gains, and the framework defaults.",
    ),
    Topic.model_construct(
        id="gains",
        title="Gains and other activations",
        description="Why ReLU needs a factor 2, tanh's gain 5/3, Leaky ReLU's slope, LeCun and SELU, "
        "and how a gain changes the per-layer factor.",
    ),
    Topic.model_construct(
        id="beyond",
        title="Beyond the chapter: when initialisation matters less",
        description="Orthogonal initialisation, LSUV, batch normalisation and residual networks "
        "(zero-initialised last layers, branch scaling). Not in the chapter; left out of drills "
        "and worksheets unless chosen with --topic beyond.",
        extension=True,
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
        title="Using only n_out: 2/n_out",
        description="Xavier uses both fans; He's default fan-in mode divides by n_in, the number of inputs "
        "each unit sums over. 2/n_out is He's fan-out mode, which keeps the backward pass instead, so a "
        "question about He says which mode it means.",
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
        description="ReLU zeroes half the signal, so Xavier's variance, n_in/(n_in + n_out) of He's (a half "
        "for equal fans), lets it shrink layer by layer; He initialisation doubles the variance to make up for it.",
    ),
    Misconception.model_construct(
        id="he-for-tanh",
        title="He for tanh or sigmoid layers",
        description="tanh and sigmoid do not zero half of the signal, so He's factor 2 is not what they "
        "need; the convention for them is Xavier (PyTorch adds the gain 5/3 for tanh). He on tanh gives "
        "more variance than needed, though not saturation.",
    ),
    Misconception.model_construct(
        id="zero-init",
        title="Initialising weights to zero",
        description="When every layer starts at zero, every unit of a layer computes the same output and gets "
        "the same gradient, so the units stay identical: symmetry is never broken.",
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
        description="Too-small weights make r < 1, so the activations and the backpropagated gradient shrink "
        "like r^L and every layer's weight gradient becomes tiny.",
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
    Misconception.model_construct(
        id="factor-near-one-is-safe",
        title="A per-layer factor near 1 is always harmless",
        description="Depth compounds the factor: r = 0.9 over 50 layers leaves 0.9^50 ≈ 0.005 of the "
        "variance, and r = 1.1 multiplies it by 117. Only r = 1 keeps the scale at every depth.",
    ),
    Misconception.model_construct(
        id="product-for-power",
        title="Multiplying by L instead of raising to the power L",
        description="Each layer multiplies the variance by r, so L layers multiply it by r^L, not r·L.",
    ),
    Misconception.model_construct(
        id="learning-rate-for-init",
        title="Blaming the initialisation for a learning-rate problem, or the other way round",
        description="A loss that is enormous from the first step points to the initial scale; a loss that "
        "starts normal and then blows up points to the learning rate.",
    ),
    Misconception.model_construct(
        id="channels-only-fan",
        title="Counting only the channels in a convolution's fan",
        description="Each output of a convolution sums over every input channel of its k_h × k_w window: "
        "fan_in = C_in k_h k_w, not C_in.",
    ),
    Misconception.model_construct(
        id="gain-not-squared",
        title="Multiplying the variance by the gain instead of its square",
        description="A gain multiplies the standard deviation (and the uniform limit); the variance is "
        "multiplied by gain².",
    ),
    Misconception.model_construct(
        id="shape-orientation",
        title="Reading a weight matrix's shape the wrong way round",
        description="PyTorch stores nn.Linear's weight as (out_features, in_features); Keras stores a "
        "Dense kernel as (inputs, units). The fan-in is the number of inputs either way.",
    ),
    Misconception.model_construct(
        id="pytorch-default-is-zero-or-he",
        title="Misremembering PyTorch's default initialisation",
        description="nn.Linear and nn.Conv2d draw weights from U(-1/√fan_in, 1/√fan_in) "
        "(kaiming_uniform_ with a = √5) and biases from the same bound: neither zero nor He for ReLU.",
    ),
    Misconception.model_construct(
        id="bias-for-scale",
        title="Fixing a layer's scale with its bias",
        description="A small positive bias keeps more ReLUs active, but the per-layer factor "
        "r = n_in Var(W) comes from the weights' variance: a bias does not undo ReLU's halving.",
    ),
    Misconception.model_construct(
        id="groups-ignored",
        title="Ignoring groups in a grouped convolution's fan-in",
        description="With groups = g each output channel sees only C_in/g input channels, so PyTorch's fan_in "
        "is (C_in/g) k_h k_w (the weight has shape (C_out, C_in/g, k_h, k_w)); fan_out stays C_out k_h k_w.",
    ),
    Misconception.model_construct(
        id="fan-mode-ignored",
        title="Ignoring the mode argument",
        description="kaiming_normal_ and kaiming_uniform_ divide by fan_in with mode='fan_in' (the default) and "
        "by fan_out with mode='fan_out'.",
    ),
    Misconception.model_construct(
        id="gain-ignored",
        title="Leaving out the gain",
        description="PyTorch multiplies the standard deviation (and the uniform bound) by the gain: "
        "calculate_gain('relu') = √2, 'tanh' 5/3, 'leaky_relu' √(2/(1 + a²)), 'linear' and 'sigmoid' 1.",
    ),
    Misconception.model_construct(
        id="relu-halving-ignored",
        title="Forgetting that ReLU halves the second moment",
        description="A ReLU layer's factor is ½ n_in Var(W), not n_in Var(W): ReLU zeroes the negative half of a "
        "symmetric input.",
    ),
    Misconception.model_construct(
        id="normalisation-fixes-any-init",
        title="A normalising layer or activation fixes any initialisation",
        description="Batch normalisation removes the effect of a layer's weight scale (any c > 0), not of the weights' values: all-equal weights still give identical units. SELU keeps mean 0 and variance 1 only when the weights have the right scale (LeCun, Var(W) = 1/fan-in).",
    ),
    Misconception.model_construct(
        id="equal-nonzero-init",
        title="Equal non-zero weights break symmetry",
        description="The symmetry problem comes from the weights being equal, not from their being zero. If every weight in the network has the same value (0.01, 0.5, any constant), the units of a hidden layer compute the same output and receive the same gradient, so they stay identical exactly as with all-zero weights. Only different (random) starting weights break the symmetry.",
    ),
    Misconception.model_construct(
        id="any-scale-works",
        title="Any random scale works once symmetry is broken",
        description="Random weights break symmetry, but their scale still matters: every layer multiplies the signal's variance by r = n_in Var(W), and depth compounds it to r^L. Too small a scale shrinks the signal and the backpropagated gradient; too large a scale blows them up in ReLU or linear layers and saturates tanh units.",
    ),
    Misconception.model_construct(
        id="variance-for-second-moment",
        title="The variance where the second moment is needed",
        description="With zero-mean weights a unit's pre-activation has Var(z) = n_in Var(W) E[x^2]. Var(x) equals E[x^2] only for zero-mean inputs, which ReLU outputs are not; and the second moment of a variable with a non-zero mean is its variance plus its squared mean.",
    ),
    Misconception.model_construct(
        id="relu-halves-variance",
        title="ReLU halves the variance",
        description="For a zero-mean input distributed like its negative, ReLU keeps exactly half of the second moment E[z^2], not half of the variance: its output has a positive mean, so for Gaussian z Var(ReLU(z)) = (1/2 - 1/(2 pi)) Var(z), about 0.34 Var(z). He's derivation tracks E[x^2].",
    ),
    Misconception.model_construct(
        id="backward-uses-fan-in",
        title="The fan-in in the backward pass",
        description="Going backward, each input's gradient is a sum over the n_out units it feeds, so a layer multiplies the gradient's variance by n_out Var(W) (times the activation's factor). n_in Var(W) is the forward factor; the two agree only when n_in = n_out.",
    ),
    Misconception.model_construct(
        id="xavier-keeps-both-exactly",
        title="Xavier keeps both passes exactly",
        description="Only when n_in = n_out. Otherwise Xavier's forward factor 2 n_in/(n_in + n_out) and backward factor 2 n_out/(n_in + n_out) lie on either side of 1; they add up to 2.",
    ),
    Misconception.model_construct(
        id="mean-of-variances",
        title="Averaging the variances instead of the fans",
        description="Xavier averages the fans: 1/Var(W) = (n_in + n_out)/2, so Var(W) is the harmonic mean of 1/n_in and 1/n_out. The arithmetic mean of the two variances is larger and is dominated by the smaller fan.",
    ),
    Misconception.model_construct(
        id="fan-modes-swapped",
        title="Swapping what the two fan modes preserve",
        description="Fan-in mode (2/fan-in) keeps the scale of the forward activations; fan-out mode (2/fan-out) keeps the scale of the backpropagated gradient. When widths change, each lets the other drift.",
    ),
    Misconception.model_construct(
        id="selu-gain-for-snn",
        title="calculate_gain('selu') for self-normalising networks",
        description="SELU's self-normalisation is derived for LeCun's Var(W) = 1/n_in. PyTorch's SELU gain 3/4 gives Var(W) = 0.5625/n_in instead, chosen for gradient flow; its documentation says to use nonlinearity='linear' (gain 1) for self-normalising networks.",
    ),
    Misconception.model_construct(
        id="sigmoid-zero-centred",
        title="Sigmoid is zero-centred like tanh",
        description="Sigmoid's outputs lie in (0, 1) and have mean about 0.5 for a zero-mean input. tanh is odd and zero-centred; sigmoid is tanh shifted and scaled, sigmoid(z) = (1 + tanh(z/2))/2.",
    ),
    Misconception.model_construct(
        id="gain-for-wrong-activation",
        title="One activation's gain fits every activation",
        description="A gain compensates for what one activation does to the second moment: sqrt(2) for ReLU's half, 5/3 for tanh's contraction. Used with another activation it gives a per-layer factor other than 1, for example (5/3)^2/2 = 25/18 on ReLU layers.",
    ),
    Misconception.model_construct(
        id="he-saturates-tanh",
        title="He (or more) saturates deep tanh layers",
        description="Measured on 20 tanh layers of width 512: He leaves about 0.15% of activations beyond |a| > 0.99 and Xavier with gain 5/3 about 1.7%; saturation takes far larger weights, such as N(0, 1) on wide layers. He is not the convention for tanh because its factor 2 has no reason there (tanh zeroes nothing), not because it saturates.",
    ),
    Misconception.model_construct(
        id="clipping-fixes-init",
        title="Gradient clipping repairs a bad initial scale",
        description="Clipping bounds the size of each update, but it does not change the weights' scale or the forward signal: with weights far too large the activations still grow (or saturate) layer after layer. The remedy is a proper initial scale.",
    ),
    Misconception.model_construct(
        id="slope-ignored",
        title="Ignoring the Leaky ReLU slope: 2/n_in",
        description="Leaky ReLU keeps (1 + a²)/2 of the second moment, not ReLU's 1/2, so He's variance for it is 2/((1 + a²) n_in); the plain 2/n_in is only right for a = 0.",
    ),
    Misconception.model_construct(
        id="gain-squared-for-limit",
        title="Multiplying the standard deviation or the limit by gain²",
        description="The gain multiplies the standard deviation and the uniform limit; its square, gain², multiplies the variance. Multiplying the limit by gain² applies the gain twice.",
    ),
    Misconception.model_construct(
        id="early-weight-gradients-smallest",
        title="The early layers' weight gradients are always the smallest",
        description="What shrinks towards the input when the weights are too small is the gradient backpropagated to each layer's activations. A layer's weight gradient is that times the layer's input, which is larger near the input; in a bias-free network of equal widths with ReLU, tanh or no activation the two effects cancel and every layer's weight gradient has about the same size (tiny in every layer when the weights are too small). The early layers starve on their own only in deep sigmoid networks.",
    ),
    Misconception.model_construct(
        id="uniform-variance-over-12",
        title="L^2/12 for the variance of U[-L, L]",
        description="(b - a)^2/12 is the variance of U[a, b]. For U[-L, L] the width is b - a = 2L, so the variance is (2L)^2/12 = L^2/3; putting the half-width L where the width belongs gives L^2/12, four times too small.",
    ),
    Misconception.model_construct(
        id="init-always-decisive",
        title="Initialisation matters equally in every architecture",
        description="Batch normalisation removes the effect of a layer's weight scale on its output, and "
        "residual connections with zero-initialised branches start as shallow networks; the initial scale "
        "then matters far less than in a plain deep stack.",
    ),
)

BUILTIN_CLAIMS: tuple[Claim, ...] = (
    Claim.model_construct(
        id="equal-weights-stay-symmetric",
        statement="If every weight in the network starts at the same value (all zero, or one constant), "
        "the units of a hidden layer compute the same output and receive the same gradient, so gradient "
        "descent keeps them identical: symmetry is never broken.",
    ),
    Claim.model_construct(
        id="one-zero-layer-recovers",
        statement="In a tanh network, if only one hidden layer's weights are zero while the next layer's are "
        "random, that layer's units do not stay identical: they differ after the first gradient steps. (With "
        "ReLU they stay stuck instead: ReLU's derivative at 0 is 0.)",
    ),
    Claim.model_construct(
        id="random-weights-break-symmetry",
        statement="Random weights give every unit a different output and gradient even when all biases "
        "are 0: zero biases do not cause the symmetry problem.",
    ),
    Claim.model_construct(
        id="variance-of-sum",
        statement="For independent zero-mean weights and inputs, a unit's pre-activation has "
        "Var(z) = n_in Var(W) Var(x).",
    ),
    Claim.model_construct(
        id="depth-multiplies-variance",
        statement="Through L linear layers the variance of the signal is multiplied by r^L with "
        "r = n_in Var(W): it vanishes for r < 1, is preserved for r = 1 and explodes for r > 1.",
    ),
    Claim.model_construct(
        id="backward-uses-fan-out",
        statement="Going backward, each layer multiplies the gradient's variance by n_out Var(W) (times the "
        "activation's factor), the mirror of the forward factor n_in Var(W).",
    ),
    Claim.model_construct(
        id="he-modes-forward-backward",
        statement="When widths change from layer to layer, He's fan-in mode (2/n_in) keeps the forward "
        "signal's scale and fan-out mode (2/n_out) keeps the backward gradient's; each lets the other drift "
        "by the width ratios.",
    ),
    Claim.model_construct(
        id="relu-halves-second-moment",
        statement="ReLU zeroes the negative half of a symmetric zero-mean input, so E[ReLU(z)²] = ½ E[z²]; "
        "Leaky ReLU with slope a keeps (1 + a²)/2 of it.",
    ),
    Claim.model_construct(
        id="xavier-relu-vanishes",
        statement="ReLU layers of equal width initialised with Xavier lose half of the second moment at every "
        "layer, so the activations and the backpropagated gradients shrink geometrically with depth.",
    ),
    Claim.model_construct(
        id="he-relu-preserves",
        statement="He initialisation keeps the activations and the backpropagated gradients of a deep ReLU "
        "network at a steady scale, layer after layer.",
    ),
    Claim.model_construct(
        id="xavier-tanh-stable",
        statement="Xavier-initialised tanh layers stay in tanh's responsive range (almost no |a| > 0.9) and "
        "the backpropagated gradient changes by only a small factor over 20 layers.",
    ),
    Claim.model_construct(
        id="he-tanh-not-saturated",
        statement="He initialisation on 20 tanh layers gives more variance than tanh needs but does not "
        "saturate them: a few percent of activations beyond |a| > 0.9, almost none beyond 0.99, and "
        "gradients that change by a small factor (about 3) from the last layer to the first.",
    ),
    Claim.model_construct(
        id="tanh-gain-unsaturated",
        statement="Xavier with PyTorch's tanh gain 5/3 (Var(W) ≈ 2.78/n_in for equal fans, more than He's "
        "2/n_in) still leaves deep tanh layers far from saturation: only a few percent beyond |a| > 0.99.",
    ),
    Claim.model_construct(
        id="large-weights-saturate-tanh",
        statement="With N(0, 1) weights on wide layers (n_in = 512) almost every tanh activation is beyond "
        "|a| > 0.9: the units saturate.",
    ),
    Claim.model_construct(
        id="saturated-unit-small-local-gradient",
        statement="In a tanh layer with weights far too large, most units sit where tanh is flat: their "
        "derivative is nearly 0, so the gradient reaching their incoming weights is scaled down many-fold "
        "compared with a Xavier-initialised layer.",
    ),
    Claim.model_construct(
        id="saturated-tanh-gradients-grow",
        statement="Through many saturated tanh layers (N(0, 1) weights, n_in = 512) the backpropagated "
        "gradient does not vanish: the large weights outweigh the small derivatives, and it grows by orders "
        "of magnitude towards the input.",
    ),
    Claim.model_construct(
        id="small-weights-vanish",
        statement="With weights too small (r = n_in Var(W) < 1) the activations and the gradient "
        "backpropagated to each layer shrink geometrically with depth.",
    ),
    Claim.model_construct(
        id="weight-gradients-level",
        statement="In a bias-free network of equal widths with ReLU, tanh or no activation, the weights' "
        "gradients have about the same size in every layer whatever the initial scale (Glorot & Bengio "
        "2010): too-small weights make every layer's weight gradient tiny together.",
    ),
    Claim.model_construct(
        id="sigmoid-early-layers-starve",
        statement="In a deep sigmoid network (derivative at most 1/4) the first layers' weight gradients are "
        "orders of magnitude smaller than the last layers', even with Xavier initialisation: the early "
        "layers learn slowest.",
    ),
    Claim.model_construct(
        id="sigmoid-derivative-quarter",
        statement="The sigmoid's derivative σ(z)(1 − σ(z)) is at most 1/4, reached at z = 0.",
    ),
    Claim.model_construct(
        id="large-weights-explode",
        statement="With weights too large (r > 1) in ReLU or linear layers, activations and backpropagated "
        "gradients grow geometrically with depth until they overflow to Inf or NaN.",
    ),
    Claim.model_construct(
        id="large-init-large-first-loss",
        statement="When the weights start far too large, the loss is already enormous at the first step, "
        "before any update.",
    ),
    Claim.model_construct(
        id="high-learning-rate-diverges-later",
        statement="With a sensible initialisation the loss starts at a normal value; a learning rate that is "
        "too large makes it grow over the following steps until it overflows to Inf or NaN.",
    ),
    Claim.model_construct(
        id="clipping-leaves-forward-scale",
        statement="Gradient clipping bounds the size of each update but does not change the forward "
        "signal: with weights too large the activations still explode with depth.",
    ),
    Claim.model_construct(
        id="orthogonal-preserves-norm",
        statement="An orthogonal weight matrix preserves the norm of every input exactly, so a deep linear "
        "stack of orthogonal layers neither vanishes nor explodes.",
    ),
    Claim.model_construct(
        id="lsuv-unit-variance",
        statement="LSUV (orthogonal weights, then each layer rescaled on one batch until its output variance "
        "is 1) gives every layer unit output variance, whatever the activation's own factor.",
    ),
    Claim.model_construct(
        id="selu-self-normalises",
        statement="SELU layers with LeCun initialisation (Var(W) = 1/n_in) keep activations near mean 0 and "
        "variance 1 through many layers.",
    ),
    Claim.model_construct(
        id="batchnorm-ignores-weight-scale",
        statement="A layer followed by batch normalisation gives the same output whatever the scale of its "
        "weights: BN(c·Wx) = BN(Wx) for every c > 0.",
    ),
    Claim.model_construct(
        id="residual-zero-branch-identity",
        statement="A residual block whose last layer (or last batch-norm γ) is initialised to 0 is the "
        "identity at initialisation, so a deep residual network starts as a shallow one.",
    ),
    Claim.model_construct(
        id="residual-variance-grows",
        statement="Without scaling, a residual stream x + F(x) gains the branch's variance at every block and "
        "grows geometrically with depth; scaling each of the L branches by 1/√L keeps it within a small factor "
        "however deep the network is.",
    ),
)
