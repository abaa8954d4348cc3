using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Hosting;
using TsdSr.Tests.Inference.Hosting;

namespace TsdSr.Tests.Inference.DependencyInjection;

public sealed class TsdSrServiceCollectionExtensionsTests : IDisposable
{
    private readonly HostingTestFolders folders = new();

    public void Dispose() => folders.Dispose();

    [Fact]
    public void Configuration_section_binds_every_kind_of_value()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TsdSr:ModelDirectory"] = folders.Model,
            ["TsdSr:LoraDirectory"] = folders.Lora,
            ["TsdSr:EmbeddingsDirectory"] = folders.Embeddings,
            ["TsdSr:Device"] = "cuda:1",
            ["TsdSr:Dtype"] = "bf16",
            ["TsdSr:VaeDtype"] = "fp32",
            ["TsdSr:ColorFix"] = "adain",
            ["TsdSr:VaeTiling"] = "off",
            ["TsdSr:LatentTileSize"] = "96",
            ["TsdSr:Seed"] = "7",
            ["TsdSr:MergeLora"] = "false",
        }).Build();
        var services = new ServiceCollection().AddTsdSr(configuration.GetSection(TsdSrOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var o = provider.GetRequiredService<IOptions<TsdSrOptions>>().Value;

        o.Device.Should().Be("cuda:1");
        o.Dtype.Should().Be(TsdSrDtype.Bf16);
        o.VaeDtype.Should().Be(TsdSrDtype.Fp32);
        o.ColorFix.Should().Be(ColorFixMode.AdaIn);
        o.VaeTiling.Should().Be(TsdSr.Inference.VaeTilingMode.Off);
        o.LatentTileSize.Should().Be(96);
        o.Seed.Should().Be(7);
        o.MergeLora.Should().BeFalse("the default is true: the bound value must win");
    }

    [Fact]
    public void Delegate_overload_configures_the_options()
    {
        using var provider = new ServiceCollection().AddTsdSr(o => { folders.Apply(o); o.Scale = 2; }).BuildServiceProvider();

        provider.GetRequiredService<IOptions<TsdSrOptions>>().Value.Scale.Should().Be(2);
    }

    [Fact]
    public void Instance_overload_copies_the_values_at_registration()
    {
        var instance = folders.Options(o => o.LatentTileOverlap = 4);
        using var provider = new ServiceCollection().AddTsdSr(instance).BuildServiceProvider();
        instance.LatentTileOverlap = 5;

        provider.GetRequiredService<IOptions<TsdSrOptions>>().Value.LatentTileOverlap.Should().Be(4);
    }

    [Fact]
    public void Parameterless_overload_binds_nothing_and_leaves_configuration_to_the_host()
    {
        var services = new ServiceCollection().AddTsdSr();
        services.Configure<TsdSrOptions>(folders.Apply);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<TsdSrOptions>>().Value.ModelDirectory.Should().Be(folders.Model);
    }

    [Fact]
    public void Services_are_singletons_registered_once_and_a_host_factory_wins()
    {
        var factory = new FakeTsdSrPipelineFactory();
        var services = new ServiceCollection().AddSingleton<ITsdSrPipelineFactory>(factory).AddTsdSr(folders.Apply).AddTsdSr(folders.Apply);

        services.Count(d => d.ServiceType == typeof(TsdSrUpscaler)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<TsdSrOptions>) && d.ImplementationType == typeof(TsdSrOptionsValidator)).Should().Be(1);
        services.Single(d => d.ServiceType == typeof(TsdSrUpscaler)).Lifetime.Should().Be(ServiceLifetime.Singleton);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<TsdSrUpscaler>().Should().BeSameAs(provider.GetRequiredService<TsdSrUpscaler>());
        provider.GetRequiredService<ITsdSrPipelineFactory>().Should().BeSameAs(factory);
    }

    [Fact]
    public void AddTsdSr_lives_in_the_namespace_hosts_already_import()
    {
        typeof(TsdSrServiceCollectionExtensions).Namespace.Should().Be(typeof(IServiceCollection).Namespace);
    }

    [Fact]
    public void The_interface_resolves_to_the_one_upscaler()
    {
        using var provider = new ServiceCollection().AddSingleton<ITsdSrPipelineFactory>(new FakeTsdSrPipelineFactory()).AddTsdSr(folders.Apply).BuildServiceProvider();

        provider.GetRequiredService<ITsdSrUpscaler>().Should().BeSameAs(provider.GetRequiredService<TsdSrUpscaler>());
    }

    [Fact]
    public async Task A_host_substitutes_its_own_upscaler_for_its_tests()
    {
        var stub = new StubTsdSrUpscaler();
        var factory = new FakeTsdSrPipelineFactory();
        var services = new ServiceCollection().AddSingleton<ITsdSrPipelineFactory>(factory).AddTsdSr(folders.Apply);
        services.AddSingleton<ITsdSrUpscaler>(stub);
        using var provider = services.BuildServiceProvider();

        var upscaler = provider.GetRequiredService<ITsdSrUpscaler>();
        await upscaler.UpscaleAsync(new TsdSr.Imaging.RgbImage(1, 1, new byte[3]));

        upscaler.Should().BeSameAs(stub);
        stub.Calls.Should().Be(1);
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_at_start_with_every_failure_listed()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<ITsdSrPipelineFactory>(new FakeTsdSrPipelineFactory());
        builder.Services.AddTsdSr(o =>
        {
            folders.Apply(o);
            o.LatentTileOverlap = 64;
            o.Device = "gpu";
        });
        using var host = builder.Build();

        var act = () => host.StartAsync();

        var failures = (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.ToList();
        failures.Should().Contain("LatentTileOverlap (64) must be smaller than LatentTileSize (64).");
        failures.Should().Contain(f => f.StartsWith("Device 'gpu' is not valid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disposing_the_host_releases_the_loaded_models()
    {
        var factory = new FakeTsdSrPipelineFactory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<ITsdSrPipelineFactory>(factory).AddTsdSr(folders.Apply);
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<TsdSrUpscaler>().LoadAsync();

        await host.StopAsync();
        host.Dispose();

        factory.Pipeline.Disposed.Should().BeTrue();
    }
}
