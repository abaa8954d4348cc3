namespace TsdSr.Core.Pickle;

/// <summary>Container opcodes and the global allowlist of <see cref="SafeUnpickler"/>.</summary>
internal sealed partial class SafeUnpickler
{
    private const string RebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
    private const string RebuildTensor = "torch._utils._rebuild_tensor";
    private const string RebuildParameter = "torch._utils._rebuild_parameter";
    private const string RebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";
    private const string OrderedDict = "collections.OrderedDict";

    /// <summary>The functions and classes a plain tensor / state-dict checkpoint needs; storage classes are added below.</summary>
    private static readonly HashSet<string> AllowedCallables = new(StringComparer.Ordinal)
    {
        RebuildTensorV2, RebuildTensor, RebuildParameter, RebuildParameterWithState, OrderedDict,
    };

    private void Append()
    {
        var value = Pop();
        TargetList("APPEND").Add(value);
    }

    private void Appends()
    {
        var items = PopMark();
        TargetList("APPENDS").AddRange(items);
    }

    private List<object?> TargetList(string opcode) =>
        Peek() as List<object?> ?? throw Error($"{opcode} targets a {Describe(Peek())}, not a list.");

    private void SetItem()
    {
        var value = Pop();
        var key = Pop();
        TargetDict("SETITEM").Entries.Add(new(key, value));
    }

    private void SetItems()
    {
        var items = PopMark();
        if (items.Count % 2 != 0)
        {
            throw Error("SETITEMS has an odd number of keys and values.");
        }

        var dict = TargetDict("SETITEMS");
        for (int i = 0; i < items.Count; i += 2)
        {
            dict.Entries.Add(new(items[i], items[i + 1]));
        }
    }

    private PickleDict TargetDict(string opcode) =>
        Peek() as PickleDict ?? throw Error($"{opcode} targets a {Describe(Peek())}, not a dict.");

    private PickleDict ToDict(List<object?> items)
    {
        if (items.Count % 2 != 0)
        {
            throw Error("DICT has an odd number of keys and values.");
        }

        var dict = new PickleDict();
        for (int i = 0; i < items.Count; i += 2)
        {
            dict.Entries.Add(new(items[i], items[i + 1]));
        }

        return dict;
    }

    private void StackGlobal()
    {
        var name = Pop() as string;
        var module = Pop() as string;
        if (name is null || module is null)
        {
            throw Error("STACK_GLOBAL needs two strings.");
        }

        Push(Global(module, name));
    }

    /// <summary>Only allowlisted names become values; the check happens here, before anything could be called.</summary>
    private PickleGlobal Global(string module, string name)
    {
        var full = module + "." + name;
        bool storage = module == "torch" && TorchStorageType.TryGet(name, out _);
        if (!storage && !AllowedCallables.Contains(full))
        {
            throw new TorchPickleException(
                path,
                $"pickle byte {pos}: it refers to the Python global '{full}', which is not on the allowlist of plain tensor data "
                + $"({string.Join(", ", AllowedCallables)}, torch.<Type>Storage). Loading it would run code; the file is refused.")
            {
                RefusedGlobal = full,
            };
        }

        return new PickleGlobal(module, name);
    }

    private void Reduce()
    {
        var args = Pop() as PickleTuple ?? throw Error("REDUCE needs an argument tuple.");
        var callable = Pop() as PickleGlobal ?? throw Error("REDUCE needs a callable global.");
        Push(Call(callable, args.Items));
    }

    private void NewObj()
    {
        var args = Pop() as PickleTuple ?? throw Error("NEWOBJ needs an argument tuple.");
        var cls = Pop() as PickleGlobal ?? throw Error("NEWOBJ needs a class global.");
        if (cls.ToString() != OrderedDict)
        {
            throw Error($"NEWOBJ of '{cls}' is not supported.");
        }

        Push(Call(cls, args.Items));
    }

    private void Build()
    {
        var state = Pop();
        var target = Peek();

        // OrderedDict state carries the state dict's _metadata (module versions); parameters may carry Python
        // attributes. Neither matters for the tensor values, so the state is dropped.
        if (target is not (PickleDict or PickledTensor))
        {
            throw Error($"BUILD on a {Describe(target)} is not supported (state {Describe(state)}).");
        }
    }

    private object? Call(PickleGlobal callable, object?[] args)
    {
        switch (callable.ToString())
        {
            case OrderedDict:
                return args.Length == 0 ? new PickleDict() : throw Error("OrderedDict(...) with arguments is not supported.");
            case RebuildTensorV2 when args.Length is 6 or 7:
            case RebuildTensor when args.Length == 4:
                return RebuildTensorFrom(args);
            case RebuildParameter when args.Length == 3:
            case RebuildParameterWithState when args.Length == 4:
                return args[0] as PickledTensor ?? throw Error($"{callable} wraps a {Describe(args[0])}, not a tensor.");
            default:
                throw Error($"'{callable}' cannot be called with {args.Length} argument(s).");
        }
    }

    private PickledTensor RebuildTensorFrom(object?[] args)
    {
        var storage = args[0] as TorchStorageRef ?? throw Error($"a tensor's storage is a {Describe(args[0])}, not a storage.");
        var offset = args[1] as long? ?? throw Error("a tensor's storage offset is not an integer.");
        var size = IntTuple(args[2], "size");
        var stride = IntTuple(args[3], "stride");
        if (size.Length != stride.Length)
        {
            throw Error($"a tensor has {size.Length} sizes but {stride.Length} strides.");
        }

        return new PickledTensor(storage, offset, size, stride);
    }

    private long[] IntTuple(object? value, string what)
    {
        if (value is not PickleTuple t)
        {
            throw Error($"a tensor's {what} is a {Describe(value)}, not a tuple.");
        }

        var result = new long[t.Items.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = t.Items[i] as long? ?? throw Error($"a tensor's {what} holds a {Describe(t.Items[i])}, not an integer.");
        }

        return result;
    }

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string => "string",
        long => "int",
        bool => "bool",
        double => "float",
        byte[] => "bytes",
        PickleDict => "dict",
        List<object?> => "list",
        PickleTuple => "tuple",
        PickleGlobal g => $"global '{g}'",
        TorchStorageRef => "storage",
        PickledTensor => "tensor",
        _ => value.GetType().Name,
    };
}
