class Account:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0
        self.history = []

    def deposit(self, amount):
        self.balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount):
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
        self.history.append(("withdraw", amount))


# expect time: O(n); space: O(n); why: one constant-time operation per transaction; the history keeps them all
def replay(owner, transactions):
    acct = Account(owner)
    for kind, amount in transactions:
        if kind == "d":
            acct.deposit(amount)
        else:
            acct.withdraw(amount)
    return acct.balance
