// Replaced by the emulator work.
Console.Error.WriteLine("The emulator is not implemented yet.");
return 2;
