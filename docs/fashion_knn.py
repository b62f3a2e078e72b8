# Usage: python3 docs/fashion_knn.py real | python3 docs/fashion_knn.py SAMPLES.npy 0,0,...,9 (labels, one per sample)
# k-NN (k=5, Euclidean, raw pixels) against the Fashion-MNIST training split: accuracy on real test
# images and the fraction of samples recognised as their intended label
import gzip, sys, numpy as np
D='/usr/share/datasets/fashion-mnist/'
def idx(f, off): return np.frombuffer(gzip.open(D+f).read(), np.uint8, offset=off)
Xtr = idx('train-images-idx3-ubyte.gz', 16).reshape(-1, 784).astype(np.float32) / 127.5 - 1
ytr = idx('train-labels-idx1-ubyte.gz', 8)
def knn(X, k=5):
    out = []
    n2 = (Xtr**2).sum(1)
    for i in range(0, len(X), 500):
        b = X[i:i+500]; d = n2[None, :] - 2 * b @ Xtr.T
        nn = np.argpartition(d, k, axis=1)[:, :k]
        out += [np.bincount(ytr[r], minlength=10).argmax() for r in nn]
    return np.array(out)
if sys.argv[1] == 'real':
    Xte = idx('t10k-images-idx3-ubyte.gz', 16).reshape(-1, 784).astype(np.float32) / 127.5 - 1
    yte = idx('t10k-labels-idx1-ubyte.gz', 8)
    print('real test images, 5-NN accuracy: %.3f' % (knn(Xte[:2000]) == yte[:2000]).mean())
else:
    x = np.load(sys.argv[1]).astype(np.float32)  # (N, 1, 32, 32) in [-1, 1]
    x = np.clip(x[:, 0, 2:30, 2:30], -1, 1).reshape(len(x), -1)
    labels = np.array([int(v) for v in sys.argv[2].split(',')])
    print('%s: 5-NN recognises %.3f of %d samples as their intended class' % (sys.argv[1], (knn(x) == labels).mean(), len(x)))
