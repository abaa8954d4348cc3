using System.Buffers.Binary;
using System.Text;

namespace TsdSr.Core.Pickle;

/// <summary>
/// A minimal pickle virtual machine for the subset of opcodes <c>torch.save</c> emits (protocols 2 to 5). It never
/// imports or calls Python code: globals are looked up in a fixed allowlist and "called" by C# stand-ins that only
/// build plain data (dicts, tuples, tensor descriptors). Anything else is refused with the global's name.
/// </summary>
internal sealed partial class SafeUnpickler
{
    /// <summary>Bound on stack height and memo size, far above what a state-dict pickle needs.</summary>
    private const int MaxItems = 50_000_000;

    private readonly string path;
    private readonly byte[] data;
    private readonly Func<object?, object?> persistentLoad;
    private readonly List<object?> stack = [];
    private readonly List<int> marks = [];
    private readonly Dictionary<long, object?> memo = [];
    private int pos;

    private SafeUnpickler(string path, byte[] data, Func<object?, object?> persistentLoad)
    {
        this.path = path;
        this.data = data;
        this.persistentLoad = persistentLoad;
    }

    /// <summary>Runs the pickle in <paramref name="data"/> and returns its root object.</summary>
    /// <param name="path">Names the source in errors.</param>
    /// <param name="data">The pickle bytes.</param>
    /// <param name="persistentLoad">Resolves BINPERSID ids (torch's storages).</param>
    public static object? Load(string path, byte[] data, Func<object?, object?> persistentLoad) =>
        new SafeUnpickler(path, data, persistentLoad).Run();

    private TorchPickleException Error(string message) => new(path, $"pickle byte {pos}: {message}");

    private object? Run()
    {
        while (true)
        {
            if (pos >= data.Length)
            {
                throw Error("the pickle ends without a STOP opcode.");
            }

            byte op = data[pos++];
            if (op == (byte)'.')
            {
                if (stack.Count != 1 || marks.Count != 0)
                {
                    throw Error($"STOP with {stack.Count} values on the stack (expected exactly 1).");
                }

                return stack[0];
            }

            Execute(op);
            if (stack.Count > MaxItems || memo.Count > MaxItems)
            {
                throw Error("the pickle builds more values than any checkpoint needs.");
            }
        }
    }

    private void Execute(byte op)
    {
        switch (op)
        {
            case 0x80: ReadBytes(1); break; // PROTO: any protocol; unknown opcodes fail below anyway
            case 0x95: ReadBytes(8); break; // FRAME: framing is a reading hint only
            case (byte)'(': marks.Add(stack.Count); break; // MARK
            case (byte)'N': Push(null); break;
            case 0x88: Push(true); break;
            case 0x89: Push(false); break;
            case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break; // BININT
            case (byte)'K': Push((long)ReadBytes(1)[0]); break; // BININT1
            case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
            case 0x8a: Push(ReadLong(ReadBytes(1)[0])); break; // LONG1
            case 0x8b: Push(ReadLong(ReadLength(4))); break; // LONG4
            case (byte)'I': Push(ParseIntLine(ReadLine())); break; // INT
            case (byte)'L': Push(ParseLongLine(ReadLine())); break; // LONG
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
            case (byte)'X': Push(Utf8(ReadBytes(ReadLength(4)))); break; // BINUNICODE
            case 0x8c: Push(Utf8(ReadBytes(ReadBytes(1)[0]))); break; // SHORT_BINUNICODE
            case 0x8d: Push(Utf8(ReadBytes(ReadLength(8)))); break; // BINUNICODE8
            case (byte)'U': Push(Latin1(ReadBytes(ReadBytes(1)[0]))); break; // SHORT_BINSTRING
            case (byte)'T': Push(Latin1(ReadBytes(ReadLength(4)))); break; // BINSTRING
            case (byte)'C': Push(ReadBytes(ReadBytes(1)[0]).ToArray()); break; // SHORT_BINBYTES
            case (byte)'B': Push(ReadBytes(ReadLength(4)).ToArray()); break; // BINBYTES
            case 0x8e: Push(ReadBytes(ReadLength(8)).ToArray()); break; // BINBYTES8
            case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
            case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
            case (byte)')': Push(new PickleTuple([])); break; // EMPTY_TUPLE
            case (byte)'t': Push(new PickleTuple(PopMark().ToArray())); break; // TUPLE
            case 0x85: Push(new PickleTuple(PopN(1))); break; // TUPLE1
            case 0x86: Push(new PickleTuple(PopN(2))); break; // TUPLE2
            case 0x87: Push(new PickleTuple(PopN(3))); break; // TUPLE3
            case (byte)'l': Push(PopMark()); break; // LIST
            case (byte)'d': Push(ToDict(PopMark())); break; // DICT
            case (byte)'a': Append(); break; // APPEND
            case (byte)'e': Appends(); break; // APPENDS
            case (byte)'s': SetItem(); break; // SETITEM
            case (byte)'u': SetItems(); break; // SETITEMS
            case (byte)'0': Pop(); break; // POP
            case (byte)'1': PopMark(); break; // POP_MARK
            case (byte)'2': Push(Peek()); break; // DUP
            case (byte)'q': memo[ReadBytes(1)[0]] = Peek(); break; // BINPUT
            case (byte)'r': memo[ReadLength(4)] = Peek(); break; // LONG_BINPUT
            case (byte)'p': memo[ParseMemoLine(ReadLine())] = Peek(); break; // PUT
            case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE
            case (byte)'h': Push(MemoGet(ReadBytes(1)[0])); break; // BINGET
            case (byte)'j': Push(MemoGet(ReadLength(4))); break; // LONG_BINGET
            case (byte)'g': Push(MemoGet(ParseMemoLine(ReadLine()))); break; // GET
            case (byte)'c': Push(Global(ReadLine(), ReadLine())); break; // GLOBAL
            case 0x93: StackGlobal(); break; // STACK_GLOBAL
            case (byte)'R': Reduce(); break; // REDUCE
            case 0x81: NewObj(); break; // NEWOBJ
            case (byte)'b': Build(); break; // BUILD
            case (byte)'Q': Push(persistentLoad(Pop())); break; // BINPERSID
            default:
                throw Error($"opcode 0x{op:x2} ('{(op is >= 32 and < 127 ? (char)op : '?')}') is not one torch.save uses; refusing to interpret it.");
        }
    }

    private void Push(object? value) => stack.Add(value);

    private object? Peek() => stack.Count > MarkFloor() ? stack[^1] : throw Error("the stack is empty.");

    private object? Pop()
    {
        var v = Peek();
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    private int MarkFloor() => marks.Count > 0 ? marks[^1] : 0;

    private object?[] PopN(int n)
    {
        if (stack.Count - MarkFloor() < n)
        {
            throw Error($"the opcode needs {n} values but the stack holds fewer.");
        }

        var items = stack.GetRange(stack.Count - n, n).ToArray();
        stack.RemoveRange(stack.Count - n, n);
        return items;
    }

    private List<object?> PopMark()
    {
        if (marks.Count == 0)
        {
            throw Error("an opcode needs a MARK but there is none.");
        }

        int m = marks[^1];
        marks.RemoveAt(marks.Count - 1);
        var items = stack.GetRange(m, stack.Count - m);
        stack.RemoveRange(m, stack.Count - m);
        return items;
    }

    private object? MemoGet(long key) =>
        memo.TryGetValue(key, out var v) ? v : throw Error($"memo entry {key} is read before it is written.");

    private ReadOnlySpan<byte> ReadBytes(long n)
    {
        if (n < 0 || n > data.Length - pos)
        {
            throw Error($"a {n}-byte argument runs past the end of the pickle (truncated?).");
        }

        var span = data.AsSpan(pos, (int)n);
        pos += (int)n;
        return span;
    }

    private long ReadLength(int bytes)
    {
        var b = ReadBytes(bytes);
        long n = bytes == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b);
        return n >= 0 ? n : throw Error("a negative length.");
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(data, (byte)'\n', pos);
        if (end < 0)
        {
            throw Error("a text argument has no terminating newline (truncated?).");
        }

        var s = Latin1(data.AsSpan(pos, end - pos));
        pos = end + 1;
        return s;
    }

    private string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new TorchPickleException(path, $"pickle byte {pos}: a string is not valid UTF-8.", e);
        }
    }

    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    private long ReadLong(long n)
    {
        var b = ReadBytes(n);
        if (n > 8)
        {
            throw Error($"an integer of {n} bytes does not fit 64 bits.");
        }

        long v = 0;
        for (int i = (int)n - 1; i >= 0; i--)
        {
            v = (v << 8) | b[i];
        }

        // Two's complement sign extension from n bytes.
        if (n is > 0 and < 8 && (b[(int)n - 1] & 0x80) != 0)
        {
            v -= 1L << (int)(8 * n);
        }

        return v;
    }

    private object ParseIntLine(string line) => line switch
    {
        "00" => false,
        "01" => true,
        _ => ParseLongLine(line),
    };

    private long ParseLongLine(string line) =>
        long.TryParse(line.TrimEnd('L'), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Error($"'{line}' is not a 64-bit integer.");

    private long ParseMemoLine(string line) =>
        long.TryParse(line, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Error($"'{line}' is not a memo index.");
}
