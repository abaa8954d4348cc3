namespace TsdSr.Models.Autoencoders;

/// <summary>Sizes derived from the config, without building the model.</summary>
public sealed partial record AutoencoderKLConfig
{
    /// <summary>Number of parameters of the model this config builds (83,653,863 for the SD3 VAE), computed analytically.</summary>
    /// <exception cref="OverflowException">The count does not fit 64 bits (see <see cref="EstimatedBytes"/>, which saturates).</exception>
    public long ParameterCount()
    {
        checked
        {
            return Convolutions().Sum(c => (c.In * c.Out * c.Kernel * c.Kernel) + c.Out)
                + Linears().Sum(l => (l.In * l.Out) + l.Out)
                + GroupNorms().Sum(c => 2 * c);
        }
    }

    /// <summary>
    /// Parameters of a LoRA adapter of rank <paramref name="rank"/> on every LoRA-capable layer (an upper bound for
    /// adapters on the encoder only): rank × (in·k² + out) per convolution, rank × (in + out) per Linear.
    /// </summary>
    /// <exception cref="OverflowException">The count does not fit 64 bits.</exception>
    public long LoraParameterCount(long rank)
    {
        checked
        {
            return rank * (Convolutions().Sum(c => (c.In * c.Kernel * c.Kernel) + c.Out) + Linears().Sum(l => l.In + l.Out));
        }
    }

    /// <summary>Bytes of the fp32 model, saturating at <see cref="long.MaxValue"/> for configs too large to count.</summary>
    public long EstimatedBytes()
    {
        try
        {
            return checked(ParameterCount() * sizeof(float));
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    private IEnumerable<(long In, long Out, long Kernel)> Convolutions()
    {
        var channels = BlockOutChannels.Select(c => (long)c).ToArray();
        var reversed = channels.Reverse().ToArray();
        long latent = LatentChannels;
        yield return (InChannels, channels[0], 3); // encoder.conv_in
        var encoderBlocks = Blocks(channels, LayersPerBlock, out var encoderSamplers);
        foreach (var c in encoderBlocks)
        {
            yield return c;
        }

        foreach (var c in encoderSamplers)
        {
            yield return (c, c, 3); // downsamplers
        }

        foreach (var c in MidResnets(channels[^1]))
        {
            yield return c;
        }

        yield return (channels[^1], 2 * latent, 3); // encoder.conv_out
        yield return (latent, reversed[0], 3); // decoder.conv_in
        foreach (var c in MidResnets(reversed[0]))
        {
            yield return c;
        }

        var decoderBlocks = Blocks(reversed, LayersPerBlock + 1, out var decoderSamplers);
        foreach (var c in decoderBlocks)
        {
            yield return c;
        }

        foreach (var c in decoderSamplers)
        {
            yield return (c, c, 3); // upsamplers
        }

        yield return (reversed[^1], OutChannels, 3); // decoder.conv_out
        if (UseQuantConv)
        {
            yield return (2 * latent, 2 * latent, 1);
        }

        if (UsePostQuantConv)
        {
            yield return (latent, latent, 1);
        }
    }

    private IEnumerable<(long In, long Out)> Linears()
    {
        if (!MidBlockAddAttention)
        {
            yield break;
        }

        foreach (var c in new[] { (long)BlockOutChannels[^1], BlockOutChannels[^1] })
        {
            for (int i = 0; i < 4; i++)
            {
                yield return (c, c); // mid_block.attentions.0.to_q/k/v/out (encoder, decoder)
            }
        }
    }

    private IEnumerable<long> GroupNorms()
    {
        var channels = BlockOutChannels.Select(c => (long)c).ToArray();
        var reversed = channels.Reverse().ToArray();
        foreach (var (levels, layers) in new[] { (channels, LayersPerBlock), (reversed, LayersPerBlock + 1) })
        {
            long previous = levels[0];
            foreach (var c in levels)
            {
                for (int j = 0; j < layers; j++)
                {
                    yield return j == 0 ? previous : c; // norm1
                    yield return c; // norm2
                }

                previous = c;
            }

            long mid = levels == channels ? channels[^1] : reversed[0];
            for (int r = 0; r < 4; r++)
            {
                yield return mid; // mid_block resnets' norm1/norm2
            }

            if (MidBlockAddAttention)
            {
                yield return mid; // mid_block attention group_norm
            }

            yield return levels[^1]; // conv_norm_out
        }
    }

    private static IEnumerable<(long In, long Out, long Kernel)> MidResnets(long c)
    {
        for (int r = 0; r < 2; r++)
        {
            yield return (c, c, 3);
            yield return (c, c, 3);
        }
    }

    /// <summary>The resnet convolutions of the down or up blocks; <paramref name="samplers"/> gets the channels of each block's down/up-sampler.</summary>
    private static List<(long In, long Out, long Kernel)> Blocks(long[] levels, int layers, out List<long> samplers)
    {
        var convs = new List<(long In, long Out, long Kernel)>();
        samplers = [];
        long previous = levels[0];
        for (int i = 0; i < levels.Length; i++)
        {
            long c = levels[i];
            for (int j = 0; j < layers; j++)
            {
                long input = j == 0 ? previous : c;
                convs.Add((input, c, 3));
                convs.Add((c, c, 3));
                if (input != c)
                {
                    convs.Add((input, c, 1)); // conv_shortcut
                }
            }

            if (i < levels.Length - 1)
            {
                samplers.Add(c);
            }

            previous = c;
        }

        return convs;
    }
}
