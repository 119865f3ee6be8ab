"""The case: the model of one returnee's file, and its reading and checking."""
