namespace TsdSr.Core.Pickle;

/// <summary>A Python global named by a pickle (<c>module.name</c>); only allowlisted ones are ever created.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => Module + "." + Name;
}
