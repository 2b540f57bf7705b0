// Gossip failure-detection benchmark; filled in once the transport exists.
System.Console.WriteLine("gossip benchmark: not implemented yet");
