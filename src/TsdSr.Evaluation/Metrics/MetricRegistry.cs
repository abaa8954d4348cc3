namespace TsdSr.Evaluation.Metrics;

/// <summary>Metrics by name: the extension point through which MUSIQ, MANIQA, CLIPIQA, … plug in.</summary>
/// <remarks>
/// <see cref="CreateDefault"/> registers the paper's metrics. Applications add or replace entries with
/// <see cref="Register"/>; the evaluation runner only talks to the registry.
/// </remarks>
public sealed class MetricRegistry
{
    private readonly Dictionary<string, MetricDescriptor> descriptors = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> order = [];

    /// <summary>Registered names in registration order.</summary>
    public IReadOnlyList<string> Names => order;

    /// <summary>A registry with every metric of the paper's Table 1 (see <see cref="BuiltInMetrics"/>).</summary>
    public static MetricRegistry CreateDefault()
    {
        var r = new MetricRegistry();
        foreach (var d in BuiltInMetrics.All)
        {
            r.Register(d);
        }

        return r;
    }

    /// <summary>Adds a metric, replacing any previous entry with the same name.</summary>
    public void Register(MetricDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentException.ThrowIfNullOrWhiteSpace(descriptor.Name);
        if (!descriptors.ContainsKey(descriptor.Name))
        {
            order.Add(descriptor.Name.ToLowerInvariant());
        }

        descriptors[descriptor.Name] = descriptor;
    }

    /// <summary>The descriptor registered under <paramref name="name"/> (case-insensitive), or null.</summary>
    public MetricDescriptor? Find(string name) => descriptors.GetValueOrDefault(name);

    /// <summary>The descriptor registered under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public MetricDescriptor Get(string name) =>
        Find(name) ?? throw new ArgumentException($"Unknown metric '{name}'. Known metrics: {string.Join(", ", order)}.", nameof(name));

    /// <summary>Creates the metric, or throws why it cannot run.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    /// <exception cref="MetricUnavailableException">Missing weight file or no implementation.</exception>
    public IImageMetric Create(string name, MetricContext? context = null)
    {
        context ??= new MetricContext();
        var d = Get(name);
        var problem = d.CheckAvailability(context);
        if (problem is not null)
        {
            throw problem;
        }

        return d.Factory!(context);
    }
}
