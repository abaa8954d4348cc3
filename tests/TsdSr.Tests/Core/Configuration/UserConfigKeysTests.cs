using System.Text.Json;
using TsdSr.Core.Configuration;

namespace TsdSr.Tests.Core.Configuration;

/// <summary>Every unknown key of a configuration file, at any depth, with the nearest valid key at its place.</summary>
public class UserConfigKeysTests
{
    private sealed record Inner
    {
        public int BatchSize { get; init; }

        public List<string> Folders { get; init; } = [];
    }

    private sealed record Outer
    {
        public int MaxSteps { get; init; }

        public Inner? Data { get; init; }

        public Dictionary<string, double> Weights { get; init; } = [];
    }

    private static IReadOnlyList<string> Unknown(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return UserConfigKeys.Unknown(doc.RootElement, typeof(Outer), UserConfigJson.CreateOptions());
    }

    [Fact]
    public void Known_keys_including_free_form_dictionaries_and_lists_pass()
    {
        Unknown("""{ "max_steps": 1, "data": { "batch_size": 2, "folders": ["a"] }, "weights": { "anything": 1.0 } }""").Should().BeEmpty();
    }

    [Fact]
    public void Typos_at_each_depth_are_listed_in_file_order_with_a_suggestion()
    {
        Unknown("""{ "max_step": 1, "data": { "batchsize": 2, "folder": [] } }""").Should().Equal(
            "max_step: unknown key at the top level (did you mean 'max_steps'?).",
            "data.batchsize: unknown key in 'data' (did you mean 'batch_size'?).",
            "data.folder: unknown key in 'data' (did you mean 'folders'?).");
    }

    [Fact]
    public void A_key_far_from_every_valid_one_lists_the_valid_keys_instead()
    {
        Unknown("""{ "learning_rate": 1 }""").Should().Equal("learning_rate: unknown key at the top level; valid keys: data, max_steps, weights.");
    }

    [Theory]
    [InlineData("max_stesp", "max_steps")]
    [InlineData("weight", "weights")]
    [InlineData("dat", "data")]
    [InlineData("optimizer", null)]
    public void Nearest_accepts_typos_not_other_words(string key, string? expected) =>
        UserConfigKeys.Nearest(key, ["max_steps", "weights", "data"]).Should().Be(expected);
}
