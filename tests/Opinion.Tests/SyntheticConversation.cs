namespace OpenGov.Dialogue.Opinion.Tests;

/// <summary>Hand-made conversations with known opinion camps, so the tests need no real data.</summary>
internal static class SyntheticConversation
{
    /// <summary>
    /// Camps of participants; camp c agrees with statement s when (s + c) is even, disagrees otherwise,
    /// with a small share of noisy votes and passes. Every participant votes on every statement.
    /// </summary>
    public static OpinionModel Camps(int camps, int perCamp, int statements, int seed = 7, double noise = 0.1, OpinionOptions? options = null)
    {
        var model = new OpinionModel(options);
        var random = new Random(seed);
        for (var c = 0; c < camps; c++)
        {
            for (var p = 0; p < perCamp; p++)
            {
                var participant = ParticipantId(c, p, perCamp);
                for (var s = 0; s < statements; s++)
                {
                    model.ApplyVote(participant, s, Vote(c, s, random, noise));
                }
            }
        }

        return model;
    }

    public static long ParticipantId(int camp, int index, int perCamp) => (camp * perCamp) + index;

    public static sbyte Vote(int camp, int statement, Random random, double noise)
    {
        var roll = random.NextDouble();
        if (roll < noise / 2)
        {
            return 0;
        }

        var agree = (statement + camp) % 2 == 0;
        if (roll < noise)
        {
            agree = !agree;
        }

        return agree ? (sbyte)1 : (sbyte)-1;
    }
}
