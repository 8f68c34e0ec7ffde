namespace OpenGov.Dialogue.Opinion;

/// <summary>A position on the 2-D opinion map.</summary>
public readonly record struct Point2(double X, double Y)
{
    public double DistanceTo(Point2 other) => Math.Sqrt(SquaredDistanceTo(other));

    public double SquaredDistanceTo(Point2 other)
    {
        var dx = X - other.X;
        var dy = Y - other.Y;
        return (dx * dx) + (dy * dy);
    }
}
