"""The softmax family: softmax, log_softmax, softmin, SoftmaxActivation."""
