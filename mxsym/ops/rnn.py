"""The fused RNN operator (rnn_relu, rnn_tanh, lstm, gru) with its packed parameters."""
